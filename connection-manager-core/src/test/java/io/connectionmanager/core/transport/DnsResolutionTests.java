package io.connectionmanager.core.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.testing.Measurements;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.netty.handler.codec.dns.DnsRecordType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.RECONNECTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Name resolution through the public API, with a real name server on a loopback UDP
 * socket: lookups never block the event loop, names are resolved again on every attempt,
 * a name's addresses are tried in turn, and a failed lookup is a retryable DNS failure.
 */
class DnsResolutionTests {

	private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	@AfterEach
	void release() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	private <T extends AutoCloseable> T closeLater(T resource) {
		this.resources.add(0, resource);
		return resource;
	}

	/** One event loop for everything, so that any blocking would show. */
	private ConnectionRuntime runtime(TestDnsServer dns) {
		return closeLater(ConnectionRuntime.builder()
			.threads(1)
			.nameServers(List.of(dns.address()))
			.dnsQueryTimeout(QUERY_TIMEOUT)
			.build());
	}

	private static ConnectionSettings.Builder settings(String name, String url) {
		return ConnectionSettings.builder(name)
			.url(url)
			.connectTimeout(Duration.ofSeconds(5))
			.reconnect(new ReconnectSettings(Duration.ofMillis(50), Duration.ofMillis(200), 2.0, Jitter.FULL, -1,
					Duration.ofSeconds(30)))
			.heartbeat(HeartbeatSettings.disabled())
			.circuitBreaker(CircuitBreakerSettings.disabled());
	}

	private ManagedConnection start(ConnectionRuntime runtime, ConnectionSettings.Builder settings,
			ConnectionHandler handler, RecordingListener listener) {
		ManagedConnection connection = closeLater(ManagedConnection.builder(settings.build())
			.runtime(runtime)
			.handler(handler)
			.listener(listener)
			.build());
		connection.connect();
		return connection;
	}

	private static List<StateChange> failures(RecordingListener listener) {
		return listener.changes.stream().filter((change) -> change.current() == RECONNECTING).toList();
	}

	@Test
	void aNameServerThatNeverAnswersDelaysNoOtherConnection() {
		TestDnsServer dns = closeLater(TestDnsServer.silent());
		ConnectionRuntime runtime = runtime(dns);
		TestWebSocketServer server = closeLater(TestWebSocketServer.start());
		List<Long> echoDelays = Collections.synchronizedList(new ArrayList<>());
		RecordingListener busyEvents = new RecordingListener();
		ManagedConnection busy = start(runtime, settings("busy", server.uri("/").toString()), new ConnectionHandler() {
			@Override
			public void onMessage(Message message) {
				echoDelays.add(System.nanoTime() - Long.parseLong(((Message.Text) message).text()));
			}
		}, busyEvents);
		RecordingListener idleEvents = new RecordingListener();
		ManagedConnection idle = start(runtime,
				settings("idle", server.uri("/").toString())
					.heartbeat(new HeartbeatSettings(true, Duration.ofMillis(100), Duration.ofMillis(300))),
				ConnectionHandler.NONE, idleEvents);
		await().atMost(Duration.ofSeconds(10)).until(() -> busy.state() == CONNECTED && idle.state() == CONNECTED);

		ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
		long pingsBefore;
		long started;
		Instant startedAt;
		List<Long> baseline;
		RecordingListener unresolvableEvents = new RecordingListener();
		try {
			ticker.scheduleAtFixedRate(() -> busy.send(Long.toString(System.nanoTime())), 0, 10, TimeUnit.MILLISECONDS);
			// the same load first without the unresolvable connection, for comparison
			await().atMost(Duration.ofSeconds(30)).until(() -> echoDelays.size() >= 100);
			baseline = drain(echoDelays);
			pingsBefore = server.pingsReceived();
			started = System.nanoTime();
			startedAt = Instant.now();
			start(runtime, settings("unresolvable", "ws://never.example:" + server.port() + "/"),
					ConnectionHandler.NONE, unresolvableEvents);
			await().atMost(Duration.ofSeconds(30)).until(() -> failures(unresolvableEvents).size() >= 3);
		}
		finally {
			ticker.shutdownNow();
		}
		long windowMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

		List<StateChange> failures = failures(unresolvableEvents);
		assertThat(failures).allSatisfy((failure) -> {
			assertThat(failure.cause().kind()).isEqualTo(FailureKind.DNS);
			assertThat(failure.cause().fatal()).isFalse();
		});
		assertThat(dns.questions()).extracting(TestDnsServer.Question::name).contains("never.example");
		assertThat(unresolvableEvents.states()).doesNotContain(CONNECTED);

		assertThat(busyEvents.states()).doesNotContain(RECONNECTING);
		assertThat(idleEvents.states()).doesNotContain(RECONNECTING);
		assertThat(idleEvents.heartbeatsMissed).isEmpty();
		long pings = server.pingsReceived() - pingsBefore;
		assertThat(pings).as("pings in %d ms at a 100 ms interval", windowMillis).isGreaterThan(windowMillis / 1000);

		List<Long> delays = drain(echoDelays);
		assertThat(delays).hasSizeGreaterThan(100);
		// a lookup blocking the loop would hold every echo for up to the query timeout
		assertThat(percentile(delays, 100)).as("slowest echo (us)").isLessThan(QUERY_TIMEOUT.toNanos() / 2000);
		Measurements.record("DnsResolutionTests.silentNameServer",
				Map.ofEntries(Map.entry("dnsFailures", failures.size()), Map.entry("windowMillis", windowMillis),
						Map.entry("echoes", delays.size()), Map.entry("echoP50Micros", percentile(delays, 50)),
						Map.entry("echoP99Micros", percentile(delays, 99)),
						Map.entry("echoMaxMicros", percentile(delays, 100)),
						Map.entry("baselineP50Micros", percentile(baseline, 50)),
						Map.entry("baselineP99Micros", percentile(baseline, 99)),
						Map.entry("baselineMaxMicros", percentile(baseline, 100)), Map.entry("pings", pings),
						Map.entry("firstDnsFailureMillis",
								Duration.between(startedAt, failures.get(0).timestamp()).toMillis())));
	}

	/** Takes what was recorded so far, sorted. */
	private static List<Long> drain(List<Long> recorded) {
		List<Long> taken;
		synchronized (recorded) {
			taken = new ArrayList<>(recorded);
			recorded.clear();
		}
		Collections.sort(taken);
		return taken;
	}

	/** In microseconds, of a sorted list of nanoseconds. */
	private static long percentile(List<Long> sorted, int percent) {
		int index = Math.min(sorted.size() - 1, sorted.size() * percent / 100);
		return TimeUnit.NANOSECONDS.toMicros(sorted.get(index));
	}

	@Test
	void attemptsTryTheAddressesInTurnAndUseAChangedAnswer() throws IOException {
		TestDnsServer dns = closeLater(TestDnsServer.answering());
		ConnectionRuntime runtime = runtime(dns);
		TestWebSocketServer server = closeLater(TestWebSocketServer.start());
		List<String> arrivals = new CopyOnWriteArrayList<>();
		server.onOpen((connection) -> arrivals.add("127.0.0.1"));
		// Nothing but a TCP listener on the same port of 127.0.0.2, which hangs up.
		closeLater(new HangUpListener(new InetSocketAddress("127.0.0.2", server.port()), arrivals));
		dns.answer("multi.test", "127.0.0.1", "127.0.0.2");
		RecordingListener events = new RecordingListener();
		ManagedConnection connection = start(runtime, settings("multi", "ws://multi.test:" + server.port() + "/"),
				ConnectionHandler.NONE, events);
		await().atMost(Duration.ofSeconds(10)).until(() -> connection.state() == CONNECTED);
		assertThat(arrivals).containsExactly("127.0.0.1");

		connection.reconnect();
		await().atMost(Duration.ofSeconds(10)).until(() -> events.count(CONNECTED) == 2);
		assertThat(arrivals).containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.1");

		dns.answer("multi.test", "127.0.0.2");
		connection.reconnect();
		await().atMost(Duration.ofSeconds(10)).until(() -> arrivals.size() >= 5);
		assertThat(arrivals.subList(3, 5)).containsExactly("127.0.0.2", "127.0.0.2");
		assertThat(events.count(CONNECTED)).isEqualTo(2);

		dns.answer("multi.test", "127.0.0.1");
		await().atMost(Duration.ofSeconds(10)).until(() -> events.count(CONNECTED) == 3);
		assertThat(arrivals.get(arrivals.size() - 1)).isEqualTo("127.0.0.1");
		assertThat(arrivals.subList(3, arrivals.size() - 1)).containsOnly("127.0.0.2");
		// TTL 0: asked again for every attempt
		assertThat(dns.questions("multi.test", DnsRecordType.A)).isGreaterThanOrEqualTo(arrivals.size());
		assertThat(failures(events)).allSatisfy((failure) -> assertThat(failure.cause().fatal()).isFalse());
	}

	@Test
	void localhostAndIpLiteralsNeedNoQuery() {
		TestDnsServer dns = closeLater(TestDnsServer.silent());
		ConnectionRuntime runtime = runtime(dns);
		TestWebSocketServer server = closeLater(TestWebSocketServer.start());
		ManagedConnection byName = start(runtime, settings("localhost", "ws://localhost:" + server.port() + "/"),
				ConnectionHandler.NONE, new RecordingListener());
		ManagedConnection byLiteral = start(runtime, settings("literal", "ws://127.0.0.1:" + server.port() + "/"),
				ConnectionHandler.NONE, new RecordingListener());
		// a query to this name server would fail the attempt after the query timeout
		await().atMost(QUERY_TIMEOUT.dividedBy(2))
			.until(() -> byName.state() == CONNECTED && byLiteral.state() == CONNECTED);
		assertThat(dns.questions()).isEmpty();
	}

	@Test
	void anIpv6LiteralNeedsNoQueryEither() {
		TestDnsServer dns = closeLater(TestDnsServer.silent());
		ConnectionRuntime runtime = runtime(dns);
		TestWebSocketServer server = closeLater(TestWebSocketServer.start()); // 127.0.0.1
																				// only
		RecordingListener events = new RecordingListener();
		start(runtime, settings("ipv6", "ws://[::1]:" + server.port() + "/"), ConnectionHandler.NONE, events);
		await().atMost(QUERY_TIMEOUT.dividedBy(2)).until(() -> !failures(events).isEmpty());
		assertThat(failures(events).get(0).cause().kind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
		assertThat(dns.questions()).isEmpty();
	}

	@Test
	void anUnknownNameIsARetryableDnsFailure() {
		TestDnsServer dns = closeLater(TestDnsServer.answering());
		ConnectionRuntime runtime = runtime(dns);
		RecordingListener events = new RecordingListener();
		start(runtime, settings("unknown", "ws://no-such-host.test:8080/"), ConnectionHandler.NONE, events);
		await().atMost(Duration.ofSeconds(10)).until(() -> failures(events).size() >= 2);
		assertThat(failures(events)).allSatisfy((failure) -> {
			assertThat(failure.cause().kind()).isEqualTo(FailureKind.DNS);
			assertThat(failure.cause().fatal()).isFalse();
			assertThat(failure.cause().message()).contains("no-such-host.test");
		});
		assertThat(dns.questions()).extracting(TestDnsServer.Question::name).contains("no-such-host.test");
	}

	/** Accepts TCP connections on one address, records them and hangs up at once. */
	private static final class HangUpListener implements AutoCloseable {

		private final ServerSocket socket;

		HangUpListener(InetSocketAddress address, List<String> arrivals) throws IOException {
			this.socket = new ServerSocket();
			this.socket.bind(address);
			String host = address.getAddress().getHostAddress();
			Thread acceptor = new Thread(() -> {
				while (!this.socket.isClosed()) {
					try (Socket accepted = this.socket.accept()) {
						arrivals.add(host);
						accepted.setSoLinger(true, 0);
					}
					catch (IOException ex) {
						// closed
					}
				}
			}, "hang-up-" + host);
			acceptor.setDaemon(true);
			acceptor.start();
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
