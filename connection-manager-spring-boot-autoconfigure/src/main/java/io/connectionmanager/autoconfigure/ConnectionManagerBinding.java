package io.connectionmanager.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.connectionmanager.core.config.InvalidConnectionSettingException;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * {@code connection-manager.*} bound once, straight from the {@link Environment}, and
 * everything start-up derives from it, validated. It is made while bean definitions are
 * registered, before any bean exists, so that one bean per connection can be declared and
 * a bad value stops start-up early with an {@link InvalidConnectionPropertyException}
 * naming the full property.
 *
 * @param properties the bound properties (registered as the properties bean as they are)
 * @param definitions every configured connection, merged and validated
 * @param runtime the validated process-wide settings
 */
record ConnectionManagerBinding(ConnectionManagerProperties properties, ConnectionDefinitions definitions,
		ConnectionRuntimeSettings runtime) {

	/**
	 * Binds and validates.
	 * @throws InvalidConnectionPropertyException for the first invalid value
	 */
	static ConnectionManagerBinding bind(Environment environment) {
		ConnectionManagerProperties properties = Binder.get(environment)
			.bindOrCreate(ConnectionManagerProperties.PREFIX, Bindable.of(ConnectionManagerProperties.class));
		InvalidPropertyTranslator errors = new InvalidPropertyTranslator(environment);
		ConnectionRuntimeSettings runtime;
		try {
			runtime = ConnectionRuntimeSettings.of(properties);
		}
		catch (InvalidConnectionSettingException ex) {
			throw errors.translateGlobal(ex);
		}
		ConnectionSettingsMapper mapper = new ConnectionSettingsMapper(properties.defaults());
		List<ConnectionDefinition> definitions = new ArrayList<>();
		for (Map.Entry<String, ConnectionProperties> entry : properties.connections().entrySet()) {
			try {
				definitions.add(mapper.map(entry.getKey(), entry.getValue()));
			}
			catch (InvalidConnectionSettingException ex) {
				throw errors.translate(entry.getKey(), ex);
			}
		}
		return new ConnectionManagerBinding(properties, new ConnectionDefinitions(definitions), runtime);
	}

}
