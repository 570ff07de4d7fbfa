package io.connectionmanager.autoconfigure;

import io.connectionmanager.core.ManagedConnection;

/**
 * A configured connection's name is taken by a bean that is not a
 * {@link ManagedConnection}, so the connection cannot be registered under it.
 */
public class ConnectionBeanConflictException extends RuntimeException {

	private final String connectionName;

	private final Class<?> beanType;

	private final String beanDefinition;

	/**
	 * @param connectionName the configured connection's name, which the bean holds
	 * @param beanType the other bean's type, or {@code null} when it cannot be known
	 * before the bean is created
	 * @param beanDefinition where that bean is defined, or {@code null}
	 */
	public ConnectionBeanConflictException(String connectionName, Class<?> beanType, String beanDefinition) {
		super("Connection '" + connectionName + "' (" + getProperty(connectionName) + ") cannot be registered: bean '"
				+ connectionName + "' is " + describe(beanType) + ", not a " + ManagedConnection.class.getName());
		this.connectionName = connectionName;
		this.beanType = beanType;
		this.beanDefinition = beanDefinition;
	}

	public String getConnectionName() {
		return this.connectionName;
	}

	/** The property that configures the connection. */
	public String getProperty() {
		return getProperty(this.connectionName);
	}

	/** The other bean's type, or {@code null} when it cannot be known in advance. */
	public Class<?> getBeanType() {
		return this.beanType;
	}

	/** Where the other bean is defined, or {@code null}. */
	public String getBeanDefinition() {
		return this.beanDefinition;
	}

	private static String getProperty(String connectionName) {
		return ConnectionManagerProperties.PREFIX + ".connections." + connectionName;
	}

	private static String describe(Class<?> type) {
		return (type != null) ? "of type " + type.getName() : "of a type that cannot be known before it is created";
	}

}
