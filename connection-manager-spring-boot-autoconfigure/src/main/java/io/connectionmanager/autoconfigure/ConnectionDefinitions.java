package io.connectionmanager.autoconfigure;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every connection configured under {@code connection-manager.connections}, merged and
 * validated, in declaration order. Connections the application builds itself are not in
 * here: for those, {@link #isCritical} and {@link #isAutoStartup} answer with the
 * built-in defaults.
 */
public final class ConnectionDefinitions {

	private final Map<String, ConnectionDefinition> definitions;

	public ConnectionDefinitions(Collection<ConnectionDefinition> definitions) {
		Map<String, ConnectionDefinition> byName = new LinkedHashMap<>();
		definitions.forEach((definition) -> byName.put(definition.name(), definition));
		this.definitions = Collections.unmodifiableMap(byName);
	}

	public static ConnectionDefinitions empty() {
		return new ConnectionDefinitions(java.util.List.of());
	}

	/** The definition of a configured connection, or {@code null}. */
	public ConnectionDefinition get(String name) {
		return this.definitions.get(name);
	}

	public Collection<ConnectionDefinition> all() {
		return this.definitions.values();
	}

	public boolean isCritical(String name) {
		ConnectionDefinition definition = this.definitions.get(name);
		return (definition != null) ? definition.critical() : ConnectionDefinition.DEFAULT_CRITICAL;
	}

	public boolean isAutoStartup(String name) {
		ConnectionDefinition definition = this.definitions.get(name);
		return (definition != null) ? definition.autoStartup() : ConnectionDefinition.DEFAULT_AUTO_STARTUP;
	}

}
