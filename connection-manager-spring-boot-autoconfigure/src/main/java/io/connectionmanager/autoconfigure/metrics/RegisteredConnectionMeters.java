package io.connectionmanager.autoconfigure.metrics;

import java.util.List;

import io.connectionmanager.actuate.metrics.ConnectionMetrics;
import io.connectionmanager.autoconfigure.ConnectionRegistry;
import io.connectionmanager.core.ManagedConnection;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The meters of connections registered at run time: bound like a configured connection's
 * on registration, and every meter tagged with the connection (ours, and Resilience4j's
 * for its breaker and rate limiter) removed when it is unregistered.
 */
final class RegisteredConnectionMeters implements ConnectionRegistry.RegistrationListener {

	private final ObjectProvider<MeterRegistry> registries;

	RegisteredConnectionMeters(ObjectProvider<MeterRegistry> registries) {
		this.registries = registries;
	}

	@Override
	public void registered(ManagedConnection connection) {
		this.registries.orderedStream()
			.forEach((registry) -> new ConnectionMetrics(List.of(connection)).bindTo(registry));
	}

	@Override
	public void unregistered(ManagedConnection connection) {
		this.registries.orderedStream().forEach((registry) -> {
			for (Meter meter : List.copyOf(registry.getMeters())) {
				if (belongsTo(meter, connection.name())) {
					registry.remove(meter);
				}
			}
		});
	}

	private static boolean belongsTo(Meter meter, String connection) {
		Meter.Id id = meter.getId();
		if (id.getName().startsWith("connection.manager.")) {
			return connection.equals(id.getTag("connection"));
		}
		return id.getName().startsWith("resilience4j.") && connection.equals(id.getTag("name"));
	}

}
