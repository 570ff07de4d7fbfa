package io.connectionmanager.autoconfigure;

import io.connectionmanager.core.config.InvalidConnectionSettingException;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/**
 * Turns a core validation failure, which names a property relative to a connection (or to
 * {@code connection-manager} for process-wide settings), into the Spring-facing
 * {@link InvalidConnectionPropertyException}: the full property name, the value as the
 * user wrote it and where it came from.
 */
final class InvalidPropertyTranslator {

	private static final String CONNECTIONS = ConnectionManagerProperties.PREFIX + ".connections.";

	private static final String DEFAULTS = ConnectionManagerProperties.PREFIX + ".defaults.";

	private final Environment environment;

	InvalidPropertyTranslator(Environment environment) {
		this.environment = environment;
	}

	/** A setting of connection {@code name}, possibly inherited from the defaults. */
	InvalidConnectionPropertyException translate(String name, InvalidConnectionSettingException ex) {
		String property = CONNECTIONS + name + "." + ex.property();
		ConfigurationProperty own = find(property);
		ConfigurationProperty inherited = (own != null) ? null : find(DEFAULTS + ex.property());
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
		return new InvalidConnectionPropertyException(name, property, display(ex, (own != null) ? own : inherited),
				origin, inherited != null, ex);
	}

	/**
	 * A process-wide setting, named relative to {@code connection-manager} (e.g.
	 * {@code runtime.threads}).
	 */
	InvalidConnectionPropertyException translateGlobal(InvalidConnectionSettingException ex) {
		String property = ConnectionManagerProperties.PREFIX + "." + ex.property();
		ConfigurationProperty configured = find(property);
		return new InvalidConnectionPropertyException(null, property, display(ex, configured),
				(configured != null) ? originOf(configured) : null, false, ex);
	}

	/**
	 * The value as the user wrote it ({@code -1s} rather than {@code PT-1S}). The URL is
	 * the exception: the core's own rendering is used, with any query string hidden,
	 * because URLs can carry tokens.
	 */
	private static String display(InvalidConnectionSettingException ex, ConfigurationProperty configured) {
		// URLs as the core shows them: a proxy URL with credentials is redacted there
		if ("url".equals(ex.property()) || "proxy.url".equals(ex.property())) {
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
