package io.connectionmanager.actuate.health;

import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.connectionmanager.core.ManagedConnection;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code connections} health component: one indicator per connection, read live on
 * every request, so that connections added or removed at run time
 * ({@code ConnectionRegistry}) come and go with it.
 */
public class ConnectionsHealthContributor implements CompositeHealthContributor {

	private final Supplier<Stream<ManagedConnection>> connections;

	private final Function<ManagedConnection, HealthIndicator> indicator;

	/**
	 * @param connections the connections now, in order
	 * @param indicator the indicator of one connection
	 */
	public ConnectionsHealthContributor(Supplier<Stream<ManagedConnection>> connections,
			Function<ManagedConnection, HealthIndicator> indicator) {
		this.connections = connections;
		this.indicator = indicator;
	}

	@Override
	public HealthContributor getContributor(String name) {
		return this.connections.get()
			.filter((connection) -> connection.name().equals(name))
			.findFirst()
			.map(this.indicator)
			.orElse(null);
	}

	@Override
	public Stream<Entry> stream() {
		return this.connections.get()
			.map((connection) -> new Entry(connection.name(), this.indicator.apply(connection)));
	}

}
