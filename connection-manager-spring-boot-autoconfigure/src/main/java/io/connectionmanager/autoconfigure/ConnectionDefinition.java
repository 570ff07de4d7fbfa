package io.connectionmanager.autoconfigure;

import java.util.Objects;

import io.connectionmanager.core.config.ConnectionSettings;

/**
 * One configured connection after merging and validation: the core settings plus what
 * only the Spring layer uses.
 *
 * @param settings the validated core settings
 * @param autoStartup whether the connection connects when the context starts
 * @param critical whether the connection takes health DOWN while not connected
 * @param cluster where the connection runs when the application has several replicas
 */
public record ConnectionDefinition(ConnectionSettings settings, boolean autoStartup, boolean critical,
		ClusterSettings cluster) {

	/** Built-in default of {@code auto-startup}. */
	public static final boolean DEFAULT_AUTO_STARTUP = true;

	/** Built-in default of {@code critical}. */
	public static final boolean DEFAULT_CRITICAL = true;

	public ConnectionDefinition {
		Objects.requireNonNull(settings, "settings");
		Objects.requireNonNull(cluster, "cluster");
	}

	/** A connection that runs everywhere ({@code cluster.mode: everywhere}). */
	public ConnectionDefinition(ConnectionSettings settings, boolean autoStartup, boolean critical) {
		this(settings, autoStartup, critical, ClusterSettings.everywhere(settings.name()));
	}

	public String name() {
		return this.settings.name();
	}

}
