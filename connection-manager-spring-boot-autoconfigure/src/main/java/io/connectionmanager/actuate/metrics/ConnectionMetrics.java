package io.connectionmanager.actuate.metrics;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.connectionmanager.core.state.ConnectionSnapshot;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of every managed connection, tagged {@code connection=<name>}, read
 * from its {@link ConnectionSnapshot} when the registry polls (nothing is recorded on the
 * connection's hot path):
 * <ul>
 * <li>{@code connection.manager.state} (gauge, extra tag {@code state}): 1 for the
 * current state, 0 for the others</li>
 * <li>{@code connection.manager.endpoint} (gauge, extra tag {@code endpoint}, as
 * scheme://host:port): 1 for the endpoint in use or tried next, 0 for the connection's
 * other {@code urls}</li>
 * <li>{@code connection.manager.heartbeat.round.trip} (time gauge): last ping round trip,
 * NaN before the first</li>
 * <li>one meter per entry of {@link #SNAPSHOT_METERS}: attempts, messages in and out,
 * buffered, outbound dropped, inbound queued, duplicates dropped, gaps, handler errors,
 * outbound pending bytes</li>
 * </ul>
 */
public class ConnectionMetrics implements MeterBinder {

	private static final String PREFIX = "connection.manager.";

	/** Every snapshot counter and gauge, in one table. */
	static final List<SnapshotMeter> SNAPSHOT_METERS = List.of(
			SnapshotMeter.counter("attempts", "Connect attempts since start", ConnectionSnapshot::totalAttempts),
			SnapshotMeter.counter("messages.in", "Messages delivered to the handler", ConnectionSnapshot::messagesIn),
			SnapshotMeter.counter("messages.out", "Messages sent", ConnectionSnapshot::messagesOut),
			SnapshotMeter.gauge("buffered", "Outbound messages buffered while not connected", null,
					ConnectionSnapshot::buffered),
			SnapshotMeter.counter("outbound.dropped", "Buffered messages dropped by the overflow policy",
					ConnectionSnapshot::droppedOutbound),
			SnapshotMeter.gauge("inbound.queued", "Received messages waiting for the handler", null,
					ConnectionSnapshot::inboundQueued),
			SnapshotMeter.counter("duplicates.dropped", "Duplicate messages dropped before delivery",
					ConnectionSnapshot::duplicatesDropped),
			SnapshotMeter.counter("gaps", "Sequence gaps detected", ConnectionSnapshot::gaps),
			SnapshotMeter.counter("handler.errors", "Handler and listener callbacks that threw",
					ConnectionSnapshot::handlerErrors),
			SnapshotMeter.gauge("outbound.pending.bytes", "Bytes written but not yet taken by the network",
					BaseUnits.BYTES, ConnectionSnapshot::outboundPendingBytes));

	private final Iterable<ManagedConnection> connections;

	public ConnectionMetrics(Iterable<ManagedConnection> connections) {
		this.connections = connections;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.connections.forEach((connection) -> bindTo(registry, connection));
	}

	private void bindTo(MeterRegistry registry, ManagedConnection connection) {
		Tags tags = Tags.of("connection", connection.name());
		for (ConnectionState state : ConnectionState.values()) {
			Gauge.builder(PREFIX + "state", connection, (c) -> (c.state() == state) ? 1 : 0)
				.tags(tags)
				.tag("state", state.name())
				.description("1 when the connection is in this state, else 0")
				.register(registry);
		}
		for (URI url : connection.settings().urls()) {
			String endpoint = label(url);
			Gauge.builder(PREFIX + "endpoint", connection, (c) -> endpoint.equals(c.snapshot().endpoint()) ? 1 : 0)
				.tags(tags)
				.tag("endpoint", endpoint)
				.description("1 for the endpoint in use (or tried next), else 0")
				.register(registry);
		}
		TimeGauge
			.builder(PREFIX + "heartbeat.round.trip", connection, TimeUnit.NANOSECONDS,
					(c) -> nanos(c.snapshot().heartbeatRoundTrip()))
			.tags(tags)
			.description("Round trip of the last heartbeat ping")
			.register(registry);
		SNAPSHOT_METERS.forEach((meter) -> meter.register(registry, tags, connection));
	}

	/** As the snapshot names an endpoint: no path or query (they may carry tokens). */
	private static String label(URI uri) {
		return uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "");
	}

	private static double nanos(Duration duration) {
		return (duration != null) ? duration.toNanos() : Double.NaN;
	}

	/**
	 * One meter read from the snapshot.
	 *
	 * @param name the name after {@code connection.manager.}
	 * @param description what it measures
	 * @param counter a function counter (monotonic) rather than a gauge
	 * @param baseUnit the gauge's base unit, or {@code null}
	 * @param value how to read it from a snapshot
	 */
	record SnapshotMeter(String name, String description, boolean counter, String baseUnit,
			ToDoubleFunction<ConnectionSnapshot> value) {

		static SnapshotMeter counter(String name, String description, ToDoubleFunction<ConnectionSnapshot> value) {
			return new SnapshotMeter(name, description, true, null, value);
		}

		static SnapshotMeter gauge(String name, String description, String baseUnit,
				ToDoubleFunction<ConnectionSnapshot> value) {
			return new SnapshotMeter(name, description, false, baseUnit, value);
		}

		void register(MeterRegistry registry, Tags tags, ManagedConnection connection) {
			ToDoubleFunction<ManagedConnection> read = (c) -> this.value.applyAsDouble(c.snapshot());
			if (this.counter) {
				FunctionCounter.builder(PREFIX + this.name, connection, read)
					.tags(tags)
					.description(this.description)
					.register(registry);
			}
			else {
				Gauge.builder(PREFIX + this.name, connection, read)
					.tags(tags)
					.description(this.description)
					.baseUnit(this.baseUnit)
					.register(registry);
			}
		}

	}

}
