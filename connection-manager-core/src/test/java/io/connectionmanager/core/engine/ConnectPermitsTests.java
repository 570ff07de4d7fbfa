package io.connectionmanager.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.ScriptedTransport;
import io.connectionmanager.core.testing.VirtualTimeExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code connection-manager.runtime.max-connects-in-flight}: connections started together
 * queue for a connect permit instead of timing each other out.
 */
class ConnectPermitsTests {

	private final VirtualTimeExecutor executor = new VirtualTimeExecutor();

	private final ConnectionRuntime runtime = ConnectionRuntime.builder().threads(1).maxConnectsInFlight(8).build();

	@AfterEach
	void closeRuntime() {
		this.runtime.close();
	}

	private ManagedConnection connection(int index, ScriptedTransport transport) {
		ConnectionSettings settings = ConnectionSettings.builder("feed-" + index)
			.url("ws://127.0.0.1:9/" + index)
			.connectTimeout(Duration.ofSeconds(5))
			.heartbeat(HeartbeatSettings.disabled())
			.circuitBreaker(CircuitBreakerSettings.disabled())
			.build();
		return ManagedConnection.builder(settings)
			.runtime(this.runtime)
			.executor(this.executor)
			.handlerExecutor(this.executor)
			.transport(transport)
			.handler(ConnectionHandler.NONE)
			.build();
	}

	@Test
	void atMostTheLimitConnectAtOnceAndTheRestWaitWithoutTimingOut() {
		List<ScriptedTransport> transports = new ArrayList<>();
		List<ManagedConnection> connections = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			ScriptedTransport transport = new ScriptedTransport();
			transports.add(transport);
			ManagedConnection connection = connection(i, transport);
			connections.add(connection);
			connection.connect();
		}
		this.executor.runPending();
		assertThat(opened(transports)).isEqualTo(8);

		// Much longer than connect-timeout: only the 8 in flight time out; the queued
		// ones
		// were never started, so they cannot have.
		this.executor.advance(Duration.ofSeconds(4));
		for (int round = 0; round < 30 && connectedCount(connections) < 100; round++) {
			transports.forEach((transport) -> transport.attempts()
				.stream()
				.filter((attempt) -> !attempt.future.isDone())
				.forEach(ScriptedTransport.Attempt::open));
			this.executor.runPending();
			assertThat(inFlight(transports)).isLessThanOrEqualTo(8);
		}
		assertThat(connectedCount(connections)).isEqualTo(100);
		assertThat(transports).allSatisfy((transport) -> assertThat(transport.attempts()).hasSize(1));
	}

	private static long opened(List<ScriptedTransport> transports) {
		return transports.stream().mapToLong((transport) -> transport.attempts().size()).sum();
	}

	private static long inFlight(List<ScriptedTransport> transports) {
		return transports.stream()
			.flatMap((transport) -> transport.attempts().stream())
			.filter((attempt) -> !attempt.future.isDone())
			.count();
	}

	private static long connectedCount(List<ManagedConnection> connections) {
		return connections.stream().filter((connection) -> connection.state() == ConnectionState.CONNECTED).count();
	}

}
