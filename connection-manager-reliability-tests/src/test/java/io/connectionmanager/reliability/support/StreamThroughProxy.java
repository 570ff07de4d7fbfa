package io.connectionmanager.reliability.support;

import io.connectionmanager.core.state.ConnectionState;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.test.proxy.FaultInjectingProxy;
import io.connectionmanager.test.server.SequencedStreamServer;

import static org.awaitility.Awaitility.await;

/**
 * The fixture most fault tests share: a paced numbered stream (1..total) behind a
 * {@link FaultInjectingProxy}, and a resuming {@link ManagedConnection} reading it
 * through the proxy, audited by a {@link StreamCollector}.
 */
public final class StreamThroughProxy implements AutoCloseable {

	private final ConnectionRuntime runtime;

	private final SequencedStreamServer server;

	private final FaultInjectingProxy proxy;

	private final StreamCollector collector = new StreamCollector();

	private final StateTimeline timeline = new StateTimeline();

	private final ManagedConnection connection;

	private final long total;

	private StreamThroughProxy(long total, int batch, long pauseMicros, HeartbeatSettings heartbeat) {
		this.total = total;
		this.runtime = ConnectionRuntime.create(2);
		this.server = SequencedStreamServer.start(total, batch, pauseMicros);
		this.proxy = FaultInjectingProxy.start(this.server.server().port());
		ConnectionSettings settings = Settings
			.fast("stream", URI.create("ws://127.0.0.1:" + this.proxy.port() + "/stream"))
			.heartbeat(heartbeat)
			.resume(Settings.resumeByQuery())
			.build();
		this.connection = ManagedConnection.builder(settings)
			.runtime(this.runtime)
			.handler(this.collector)
			.listener(this.timeline)
			.build();
	}

	/**
	 * Starts streaming {@code total} numbers, {@code batch} at a time every
	 * {@code pauseMicros}, and waits until the connection is up.
	 */
	public static StreamThroughProxy start(long total, int batch, long pauseMicros, HeartbeatSettings heartbeat) {
		return start(total, batch, pauseMicros, heartbeat, (proxy) -> {
		});
	}

	/**
	 * As {@link #start(long, int, long, HeartbeatSettings)}, with a fault in place on the
	 * proxy before the client connects, so that it applies to the whole stream.
	 */
	public static StreamThroughProxy start(long total, int batch, long pauseMicros, HeartbeatSettings heartbeat,
			Consumer<FaultInjectingProxy> beforeConnect) {
		StreamThroughProxy fixture = new StreamThroughProxy(total, batch, pauseMicros, heartbeat);
		beforeConnect.accept(fixture.proxy);
		fixture.connection.connect();
		StateTimeline.awaitState(fixture.connection, ConnectionState.CONNECTED);
		return fixture;
	}

	public ManagedConnection connection() {
		return this.connection;
	}

	public SequencedStreamServer server() {
		return this.server;
	}

	public FaultInjectingProxy proxy() {
		return this.proxy;
	}

	public StreamCollector collector() {
		return this.collector;
	}

	public StateTimeline timeline() {
		return this.timeline;
	}

	public long total() {
		return this.total;
	}

	public void awaitReceived(long count, Duration atMost) {
		await().atMost(atMost).until(() -> this.collector.received() >= count);
	}

	public void awaitComplete(Duration atMost) {
		awaitReceived(this.total, atMost);
	}

	@Override
	public void close() {
		this.connection.close();
		this.proxy.close();
		this.server.close();
		this.runtime.close();
	}

}
