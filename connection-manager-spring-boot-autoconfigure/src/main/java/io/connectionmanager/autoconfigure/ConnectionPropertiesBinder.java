package io.connectionmanager.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.connectionmanager.core.config.InvalidConnectionSettingException;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/**
 * Binds {@code connection-manager.*} straight from the {@link Environment} and validates
 * every connection. It runs while bean definitions are registered, before any bean
 * exists, so that one bean per connection can be declared and a bad value stops start-up
 * early with an {@link InvalidConnectionPropertyException} naming the full property.
 */
public final class ConnectionPropertiesBinder {

	private static final String CONNECTIONS = ConnectionManagerProperties.PREFIX + ".connections.";

	private static final String DEFAULTS = ConnectionManagerProperties.PREFIX + ".defaults.";

	private final Environment environment;

	public ConnectionPropertiesBinder(Environment environment) {
		this.environment = environment;
	}

	public ConnectionManagerProperties bindProperties() {
		return Binder.get(this.environment)
			.bind(ConnectionManagerProperties.PREFIX, ConnectionManagerProperties.class)
			.orElseGet(ConnectionManagerProperties::new);
	}

	/**
	 * Every configured connection, merged and validated.
	 * @throws InvalidConnectionPropertyException for the first invalid value
	 */
	public ConnectionDefinitions bind() {
		ConnectionManagerProperties properties = bindProperties();
		ConnectionSettingsMapper mapper = new ConnectionSettingsMapper(properties.getDefaults());
		List<ConnectionDefinition> definitions = new ArrayList<>();
		for (Map.Entry<String, ConnectionProperties> entry : properties.getConnections().entrySet()) {
			try {
				definitions.add(mapper.map(entry.getKey(), entry.getValue()));
			}
			catch (InvalidConnectionSettingException ex) {
				throw translate(entry.getKey(), ex);
			}
		}
		return new ConnectionDefinitions(definitions);
	}

	/**
	 * The Spring-facing form of a core validation failure: the full property name, the
	 * value as configured and where it came from.
	 */
	public InvalidConnectionPropertyException translate(String name, InvalidConnectionSettingException ex) {
		String property = CONNECTIONS + name + "." + ex.property();
		ConfigurationProperty own = find(property);
		ConfigurationProperty inherited = (own != null) ? null : find(DEFAULTS + ex.property());
		ConfigurationProperty configured = (own != null) ? own : inherited;
		String origin;
		if (own != null) {
			origin = originOf(own);
		}
		else if (inherited != null) {
			String where = originOf(inherited);
			origin = "inherited from " + DEFAULTS + ex.property() + ((where != null) ? " (" + where + ")" : "");
		}
		else {
			origin = (ex.value() != null) ? "built-in default" : null;
		}
		return new InvalidConnectionPropertyException(name, property, ex.property(), display(ex, configured), origin,
				ex.reason(), ex);
	}

	/**
	 * The value as the user wrote it ({@code -1s} rather than {@code PT-1S}). The URL is
	 * the exception: the core's own rendering is used, with any query string hidden,
	 * because URLs can carry tokens.
	 */
	private static String display(InvalidConnectionSettingException ex, ConfigurationProperty configured) {
		if ("url".equals(ex.property())) {
			return (ex.value() != null) ? ex.value().toString().replaceFirst("[?#].*$", "?...") : null;
		}
		if (configured != null && configured.getValue() != null) {
			return configured.getValue().toString();
		}
		return (ex.value() != null) ? ex.value().toString() : null;
	}

	private static String originOf(ConfigurationProperty property) {
		return (property.getOrigin() != null) ? property.getOrigin().toString() : null;
	}

	private ConfigurationProperty find(String name) {
		ConfigurationPropertyName propertyName = ConfigurationPropertyName.adapt(name, '.');
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			ConfigurationProperty property = source.getConfigurationProperty(propertyName);
			if (property != null) {
				return property;
			}
		}
		return null;
	}

}
