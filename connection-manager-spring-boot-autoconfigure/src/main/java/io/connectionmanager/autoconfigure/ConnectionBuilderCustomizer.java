package io.connectionmanager.autoconfigure;

import io.connectionmanager.core.ManagedConnectionBuilder;
import io.connectionmanager.core.config.ConnectionSettings;

/**
 * Callback to customize the builder of each auto-configured connection before it is
 * built, e.g. to plug in a transport, a {@code BackOff} or a seeded random source. Beans
 * of this type are applied in order.
 */
@FunctionalInterface
public interface ConnectionBuilderCustomizer {

	void customize(ConnectionSettings settings, ManagedConnectionBuilder builder);

}
