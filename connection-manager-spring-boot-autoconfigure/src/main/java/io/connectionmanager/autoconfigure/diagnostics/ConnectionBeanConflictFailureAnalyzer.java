package io.connectionmanager.autoconfigure.diagnostics;

import io.connectionmanager.autoconfigure.ConnectionBeanConflictException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a configured connection whose name is taken by a bean of another type: which
 * property, which bean, and the two ways out.
 */
public class ConnectionBeanConflictFailureAnalyzer extends AbstractFailureAnalyzer<ConnectionBeanConflictException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ConnectionBeanConflictException cause) {
		String name = cause.getConnectionName();
		StringBuilder description = new StringBuilder();
		description.append(
				String.format("Connection '%s' cannot be registered: its name is taken by another bean.%n%n", name));
		description.append(String.format("    Property: %s%n", cause.getProperty()));
		description.append(String.format("    Bean: '%s'%s%n", name,
				(cause.getBeanDefinition() != null) ? ", defined in " + cause.getBeanDefinition() : ""));
		description.append(String.format("    Type: %s", (cause.getBeanType() != null) ? cause.getBeanType().getName()
				: "(cannot be known before the bean is created)"));
		String action = String.format("Rename the bean '%s', or rename the connection (the key under"
				+ " connection-manager.connections). A bean of that name replaces the configured connection only"
				+ " when it is a ManagedConnection%s.", name,
				(cause.getBeanType() == null) ? " (declare its type, e.g. as a @Bean method's return type)" : "");
		return new FailureAnalysis(description.toString(), action, cause);
	}

}
