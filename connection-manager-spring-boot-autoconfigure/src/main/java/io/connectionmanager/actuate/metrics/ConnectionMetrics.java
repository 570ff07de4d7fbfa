package io.connectionmanager.actuate.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.connectionmanager.core.ConnectionSnapshot;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of every managed connection, tagged {@code connection=<name>}, read
 * from its snapshot when the registry polls (nothing is recorded on the connection's hot
 * path):
 * <ul>
 * <li>{@code connection.manager.state} (gauge, extra tag {@code state}): 1 for the
 * current state, 0 for the others</li>
 * <li>{@code connection.manager.attempts} (function counter): connect attempts since
 * start</li>
 * <li>{@code connection.manager.heartbeat.round.trip} (time gauge): last ping round trip,
 * NaN before the first</li>
 * <li>{@code connection.manager.messages.in} / {@code connection.manager.messages.out}
 * (function counters)</li>
 * <li>{@code connection.manager.buffered} (gauge): outbound messages waiting for
 * CONNECTED</li>
 * <li>{@code connection.manager.outbound.dropped} (function counter): buffered messages
 * dropped on overflow</li>
 * <li>{@code connection.manager.inbound.queued} (gauge): received messages waiting for
 * the handler</li>
 * <li>{@code connection.manager.duplicates.dropped} (function counter)</li>
 * <li>{@code connection.manager.gaps} (function counter): sequence gaps detected</li>
 * </ul>
 */
public class ConnectionMetrics implements MeterBinder {

	private static final String PREFIX = "connection.manager.";

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
		counter(registry, tags, connection, "attempts", "Connect attempts since start",
				ConnectionSnapshot::totalAttempts);
		TimeGauge
			.builder(PREFIX + "heartbeat.round.trip", connection, TimeUnit.NANOSECONDS,
					(c) -> nanos(c.snapshot().heartbeatRoundTrip()))
			.tags(tags)
			.description("Round trip of the last heartbeat ping")
			.register(registry);
		counter(registry, tags, connection, "messages.in", "Messages delivered to the handler",
				ConnectionSnapshot::messagesIn);
		counter(registry, tags, connection, "messages.out", "Messages sent", ConnectionSnapshot::messagesOut);
		Gauge.builder(PREFIX + "buffered", connection, (c) -> c.snapshot().buffered())
			.tags(tags)
			.description("Outbound messages buffered while not connected")
			.register(registry);
		counter(registry, tags, connection, "outbound.dropped", "Buffered messages dropped by the overflow policy",
				ConnectionSnapshot::droppedOutbound);
		Gauge.builder(PREFIX + "inbound.queued", connection, (c) -> c.snapshot().inboundQueued())
			.tags(tags)
			.description("Received messages waiting for the handler")
			.register(registry);
		counter(registry, tags, connection, "duplicates.dropped", "Duplicate messages dropped before delivery",
				ConnectionSnapshot::duplicatesDropped);
		counter(registry, tags, connection, "gaps", "Sequence gaps detected", ConnectionSnapshot::gaps);
	}

	private static void counter(MeterRegistry registry, Tags tags, ManagedConnection connection, String name,
			String description, ToDoubleFunction<ConnectionSnapshot> value) {
		FunctionCounter.builder(PREFIX + name, connection, (c) -> value.applyAsDouble(c.snapshot()))
			.tags(tags)
			.description(description)
			.register(registry);
	}

	private static double nanos(Duration duration) {
		return (duration != null) ? duration.toNanos() : Double.NaN;
	}

}
