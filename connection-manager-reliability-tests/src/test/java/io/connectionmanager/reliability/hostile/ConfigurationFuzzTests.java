package io.connectionmanager.reliability.hostile;

import java.net.ServerSocket;
import java.net.InetAddress;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.autoconfigure.InvalidConnectionPropertyException;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.reliability.support.BootFailureAnalysis;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Random (seeded) values for every kind of {@code connection-manager.connections.*}
 * property, through the real auto-configuration. A value either works, or start-up fails
 * cleanly: the root cause is a binding or validation exception, and the failure analysis
 * a user would read names the property. Never an unexplained exception. Reproduce a run
 * with {@code -Dfuzz.seed=N}.
 */
class ConfigurationFuzzTests {

	private static final Logger logger = LoggerFactory.getLogger(ConfigurationFuzzTests.class);

	private static final int CASES = 150;

	private static final String CONNECTION = "connection-manager.connections.fuzz.";

	private static final String DEFAULTS = "connection-manager.defaults.";

	/** Nothing listens there: attempts are refused at once. */
	private static final String URL = "ws://127.0.0.1:" + closedPort() + "/feed";

	private static final List<String> DURATIONS = List.of("connect-timeout", "authentication-timeout",
			"shutdown-timeout", "reconnect.initial-delay", "reconnect.max-delay", "reconnect.reset-after",
			"heartbeat.interval", "heartbeat.timeout", "circuit-breaker.wait-duration-in-open-state",
			"resume.flush-interval");

	private static final List<String> NUMBERS = List.of("reconnect.multiplier", "reconnect.max-attempts",
			"circuit-breaker.failure-rate-threshold", "circuit-breaker.minimum-number-of-calls",
			"circuit-breaker.sliding-window-size", "circuit-breaker.permitted-number-of-calls-in-half-open-state",
			"outbound.buffer-size", "inbound.max-queued-messages");

	private static final List<String> SIZES = List.of("inbound.max-message-size", "inbound.max-queued-bytes",
			"outbound.buffer-bytes");

	private static final List<String> ENUMS_AND_FLAGS = List.of("reconnect.jitter", "framing",
			"outbound.when-disconnected", "outbound.overflow", "resume.store", "resume.carrier", "heartbeat.enabled",
			"circuit-breaker.enabled", "resume.enabled", "critical");

	private static final List<String> STRINGS = List.of("url", "resume.name", "tls.server-name", "tls.trust-store",
			"subprotocols", "failure.fatal-close-codes", "failure.fatal-http-statuses");

	private static final List<String> DURATION_VALUES = List.of("5s", "100ms", "PT2S", "1h", "0s", "0", "-1s", "-5",
			"PT-1S", "1x", "PT", "s", "9999999999999999999d", "106751991167300d", "P1000000000D", "1.5s", "3 seconds",
			"${undefined.placeholder}");

	private static final List<String> NUMBER_VALUES = List.of("0", "1", "-1", "-2", "3", "1.5", "0.5", "100", "101",
			"NaN", "Infinity", "-Infinity", "1e309", "-0", "0x10", "2147483648", "99999999999999999999", "");

	private static final List<String> SIZE_VALUES = List.of("1MB", "64KB", "0B", "-1KB", "10GB", "5XB", "1.5MB",
			"9223372036854775807B", "1");

	private static final List<String> ENUM_VALUES = List.of("full", "FULL", "equal", "none", "decorrelated",
			"sometimes", "lines", "length-prefixed", "LENGTH_PREFIXED", "buffer", "fail", "drop-oldest", "memory",
			"file", "header", "query-parameter", "handler", "true", "false", "yes", "on", "2", "");

	private static final String ALPHABET = "abcXYZ019 -_.:/?#%&=${}[],\t\u00e9\u221e\u0000ws://tls:tcp:";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class))
		.withPropertyValues("connection-manager.runtime.threads=1", CONNECTION + "url=" + URL,
				CONNECTION + "auto-startup=false");

	@Test
	void everyRandomValueEitherWorksOrFailsWithAnAnalysisNamingTheProperty() {
		long seed = Long.getLong("fuzz.seed", 20250601L);
		logger.info("Configuration fuzz seed {} (reproduce with -Dfuzz.seed={})", seed, seed);
		Random random = new Random(seed);
		int failed = 0;
		for (int i = 0; i < CASES; i++) {
			Map<String, String> properties = randomProperties(random);
			if (runCase(seed, i, properties)) {
				failed++;
			}
		}
		// Most random values are bad ones: make sure both outcomes were exercised.
		logger.info("Configuration fuzz: {} of {} cases failed start-up, all cleanly", failed, CASES);
		assertThat(failed).as("cases that failed start-up").isBetween(CASES / 3, CASES - 5);
	}

	private static final List<String> EXTREMES = List.of("106751991167300d", "P1000000000D", "PT0.000000001S", "1ns",
			"-1ns", "2147483647", "2147483648", "-2147483649", "9223372036854775807B", "1E+300");

	/**
	 * Accepted by validation but unusable: durations past Long.MAX_VALUE nanoseconds
	 * (about 292 years) overflow in Duration.toNanos()/toMillis(), Resilience4j refuses
	 * an open-state wait under 1 ms, and a sliding window of Integer.MAX_VALUE calls
	 * allocates an array of that size.
	 */
	private static final List<String> KNOWN_CORE_BUGS = List.of("connect-timeout=106751991167300d",
			"connect-timeout=P1000000000D", "shutdown-timeout=106751991167300d", "shutdown-timeout=P1000000000D",
			"reconnect.max-delay=106751991167300d", "heartbeat.interval=106751991167300d",
			"heartbeat.interval=P1000000000D", "heartbeat.timeout=106751991167300d", "heartbeat.timeout=P1000000000D",
			"circuit-breaker.wait-duration-in-open-state=106751991167300d",
			"circuit-breaker.wait-duration-in-open-state=PT0.000000001S",
			"circuit-breaker.wait-duration-in-open-state=1ns", "circuit-breaker.sliding-window-size=2147483647");

	@Test
	void extremeValuesForEveryKeyWorkOrFailCleanly() {
		List<String> cases = new ArrayList<>();
		for (String key : concat(DURATIONS, NUMBERS, SIZES)) {
			for (String value : EXTREMES) {
				cases.add(key + "=" + value);
			}
		}
		cases.removeAll(KNOWN_CORE_BUGS);
		assertThat(problemsWith(cases)).as("values without a clean outcome").isEmpty();
	}

	@Test
	void valuesBeyondTheCoreLimitsFailCleanly() {
		assertThat(problemsWith(KNOWN_CORE_BUGS)).as("values without a clean outcome").isEmpty();
	}

	private List<String> problemsWith(List<String> cases) {
		List<String> problems = new ArrayList<>();
		for (int i = 0; i < cases.size(); i++) {
			String[] keyValue = cases.get(i).split("=", 2);
			try {
				runCase(-1, i, Map.of(CONNECTION + keyValue[0], keyValue[1]));
			}
			catch (AssertionError | RuntimeException ex) {
				problems.add(cases.get(i) + " -> " + rootCause(ex));
			}
		}
		return problems;
	}

	private static String rootCause(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return root.toString();
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SafeVarargs
	private static List<String> concat(List<String>... lists) {
		List<String> all = new ArrayList<>();
		for (List<String> list : lists) {
			all.addAll(list);
		}
		return all;
	}

	/** Returns whether start-up failed (cleanly; anything else fails the test). */
	private boolean runCase(long seed, int index, Map<String, String> properties) {
		boolean[] startupFailed = new boolean[1];
		List<String> pairs = new ArrayList<>();
		properties.forEach((key, value) -> pairs.add(key + "=" + value));
		String label = "seed " + seed + " case " + index + " " + properties;
		this.runner.withPropertyValues(pairs.toArray(String[]::new)).run((context) -> {
			Throwable failure = context.getStartupFailure();
			if (failure == null) {
				assertThat(context).as(label).hasSingleBean(ManagedConnection.class);
				assertConnectsAndCloses(label, context.getBean(ManagedConnection.class));
				return;
			}
			startupFailed[0] = true;
			if (!hasCleanCause(failure)) {
				fail(label + ": unexplained start-up failure", failure);
			}
			FailureAnalysis analysis = BootFailureAnalysis.analyze(failure);
			assertThat(analysis).as(label + ": no failure analysis for " + failure).isNotNull();
			assertThat(analysis.getDescription()).as(label).contains("Property: connection-manager.");
			assertThat(properties.keySet().stream().map(ConfigurationFuzzTests::relative))
				.as(label + ": the analysis names a fuzzed property\n" + analysis.getDescription())
				.anyMatch((key) -> analysis.getDescription().contains(key));
		});
		return startupFailed[0];
	}

	/**
	 * A value that was accepted must also work: the connection tries (nothing listens
	 * there) and closes.
	 */
	private static void assertConnectsAndCloses(String label, ManagedConnection connection) {
		if (!connection.settings().url().toString().equals(URL)) {
			return; // a fuzzed URL may name any host: never connect to it
		}
		connection.connect();
		await().atMost(Duration.ofSeconds(5))
			.alias(label + ": the first attempt is made and fails")
			.until(() -> connection.snapshot().totalAttempts() >= 1 && connection.snapshot().lastFailure() != null);
		assertThatNoException().as(label + ": close")
			.isThrownBy(() -> connection.closeAsync().get(10, TimeUnit.SECONDS));
	}

	private static boolean hasCleanCause(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof BindException || t instanceof InvalidConnectionPropertyException) {
				return true;
			}
		}
		return false;
	}

	private static String relative(String property) {
		return property.startsWith(CONNECTION) ? property.substring(CONNECTION.length())
				: property.substring(DEFAULTS.length());
	}

	private static Map<String, String> randomProperties(Random random) {
		Map<String, String> properties = new LinkedHashMap<>();
		int count = 1 + random.nextInt(3);
		for (int i = 0; i < count; i++) {
			String prefix = (random.nextInt(5) == 0) ? DEFAULTS : CONNECTION;
			int kind = random.nextInt(5);
			String key;
			String value;
			switch (kind) {
				case 0 -> {
					key = pick(random, DURATIONS);
					value = random.nextBoolean() ? pick(random, DURATION_VALUES) : randomDuration(random);
				}
				case 1 -> {
					key = pick(random, NUMBERS);
					value = random.nextBoolean() ? pick(random, NUMBER_VALUES)
							: Integer.toString(random.nextInt(21) - 10);
				}
				case 2 -> {
					key = pick(random, SIZES);
					value = pick(random, SIZE_VALUES);
				}
				case 3 -> {
					key = pick(random, ENUMS_AND_FLAGS);
					value = random.nextBoolean() ? pick(random, ENUM_VALUES) : randomString(random);
				}
				default -> {
					key = pick(random, STRINGS);
					value = randomString(random);
				}
			}
			if (!(prefix.equals(DEFAULTS) && key.equals("url"))) {
				properties.put(prefix + key, value);
			}
		}
		return properties;
	}

	private static String randomDuration(Random random) {
		long amount = random.nextLong() >> random.nextInt(64);
		String[] units = { "ns", "us", "ms", "s", "m", "h", "d", "" };
		return amount + units[random.nextInt(units.length)];
	}

	private static String randomString(Random random) {
		int length = random.nextInt(16);
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return text.toString();
	}

	private static String pick(Random random, List<String> values) {
		return values.get(random.nextInt(values.size()));
	}

}
