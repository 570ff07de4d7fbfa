package io.connectionmanager.core.config;

import java.time.Duration;
import java.util.function.Consumer;

import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ConnectionSettingsTests {

	private static ConnectionSettings.Builder valid() {
		return ConnectionSettings.builder("feed").url("ws://127.0.0.1:8080/stream");
	}

	private static void assertRejected(Consumer<ConnectionSettings.Builder> change, String property, Reason code) {
		ConnectionSettings.Builder builder = valid();
		assertThatExceptionOfType(InvalidConnectionSettingException.class).isThrownBy(() -> {
			change.accept(builder);
			builder.build();
		}).satisfies((ex) -> {
			assertThat(ex.property()).isEqualTo(property);
			assertThat(ex.code()).isEqualTo(code);
			assertThat(ex.getMessage()).startsWith(property);
		});
	}

	@Test
	void defaultsAreValid() {
		ConnectionSettings settings = valid().build();
		assertThat(settings.reconnect().jitter()).isEqualTo(Jitter.SPREAD);
		assertThat(settings.heartbeat().detectionBound()).isEqualTo(Duration.ofSeconds(25));
		assertThat(settings.isSecure()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "ws://", "ws:///path", "::not a uri" })
	void rejectsUrlsWithoutAHostOrThatDoNotParse(String url) {
		assertRejected((builder) -> builder.url(url), "url", Reason.MALFORMED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://example.com/x", "ftp://example.com", "example.com:80" })
	void rejectsUnsupportedSchemes(String url) {
		assertRejected((builder) -> builder.url(url), "url", Reason.UNSUPPORTED_VALUE);
	}

	@Test
	void rejectsAMissingUrl() {
		assertThatExceptionOfType(InvalidConnectionSettingException.class)
			.isThrownBy(() -> ConnectionSettings.builder("feed").build())
			.withMessage("url (null) is required")
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(Reason.REQUIRED));
	}

	@Test
	void rejectsCredentialsInTheUrlWithoutEchoingThem() {
		assertThatExceptionOfType(InvalidConnectionSettingException.class)
			.isThrownBy(() -> valid().url("wss://user:secret@example.com/x").build())
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).doesNotContain("secret");
				assertThat(ex.code()).isEqualTo(Reason.FORBIDDEN);
			});
	}

	@Test
	void rejectsRawTcpWithoutFramingOrPort() {
		assertRejected((builder) -> builder.url("tcp://127.0.0.1:9000"), "framing", Reason.REQUIRED);
		assertRejected((builder) -> builder.url("tls://127.0.0.1").framing(Framing.LINES), "url", Reason.MALFORMED);
		assertThat(valid().url("tcp://127.0.0.1:9000").framing(Framing.LINES).build().isRawTcp()).isTrue();
	}

	@Test
	void rejectsNonPositiveDurations() {
		assertRejected((builder) -> builder.connectTimeout(Duration.ZERO), "connect-timeout", Reason.NOT_POSITIVE);
		assertRejected((builder) -> builder.authenticationTimeout(Duration.ofSeconds(-1)), "authentication-timeout",
				Reason.NOT_POSITIVE);
		assertRejected(
				(builder) -> builder.heartbeat(new HeartbeatSettings(true, Duration.ZERO, Duration.ofSeconds(1))),
				"heartbeat.interval", Reason.NOT_POSITIVE);
		assertRejected((builder) -> builder.heartbeat(new HeartbeatSettings(true, Duration.ofSeconds(1), null)),
				"heartbeat.timeout", Reason.REQUIRED);
		assertRejected((builder) -> builder.reconnect(reconnect(Duration.ZERO, Duration.ofSeconds(1), 2.0, -1)),
				"reconnect.initial-delay", Reason.NOT_POSITIVE);
	}

	@Test
	void rejectsAbsurdlyLongDurations() {
		assertRejected((builder) -> builder.shutdownTimeout(Duration.ofDays(366)), "shutdown-timeout",
				Reason.TOO_LARGE);
	}

	@Test
	void rejectsMaxDelayBelowInitialDelay() {
		assertRejected((builder) -> builder.reconnect(reconnect(Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0, -1)),
				"reconnect.max-delay", Reason.CONFLICT);
	}

	@Test
	void rejectsMultiplierBelowOne() {
		assertRejected((builder) -> builder.reconnect(reconnect(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, -1)),
				"reconnect.multiplier", Reason.TOO_SMALL);
		assertRejected(
				(builder) -> builder.reconnect(reconnect(Duration.ofSeconds(1), Duration.ofSeconds(2), Double.NaN, -1)),
				"reconnect.multiplier", Reason.TOO_SMALL);
	}

	@Test
	void rejectsZeroMaxAttempts() {
		assertRejected((builder) -> builder.reconnect(reconnect(Duration.ofSeconds(1), Duration.ofSeconds(2), 2.0, 0)),
				"reconnect.max-attempts", Reason.OUT_OF_RANGE);
	}

	@Test
	void rejectsBadBreakerAndBufferSettings() {
		assertRejected(
				(builder) -> builder
					.circuitBreaker(new CircuitBreakerSettings(true, 0, 5, 10, Duration.ofSeconds(1), 1)),
				"circuit-breaker.failure-rate-threshold", Reason.OUT_OF_RANGE);
		assertRejected(
				(builder) -> builder
					.circuitBreaker(new CircuitBreakerSettings(true, 50, 5, 10_001, Duration.ofSeconds(1), 1)),
				"circuit-breaker.sliding-window-size", Reason.TOO_LARGE);
		assertRejected((builder) -> builder.outbound(new OutboundSettings(OutboundSettings.WhenDisconnected.BUFFER, 0,
				10, OutboundSettings.Overflow.REJECT)), "outbound.buffer-size", Reason.TOO_SMALL);
		assertRejected((builder) -> builder.outbound(
				new OutboundSettings(OutboundSettings.WhenDisconnected.BUFFER, 1, 0, OutboundSettings.Overflow.REJECT)),
				"outbound.buffer-bytes", Reason.TOO_SMALL);
		assertRejected((builder) -> builder.resume(new ResumeSettings(true, ResumeSettings.Store.FILE, null,
				ResumeSettings.Carrier.QUERY_PARAMETER, "from")), "resume.directory", Reason.REQUIRED);
	}

	@ParameterizedTest
	@ValueSource(doubles = { -0.1, 1.0, 1.5, Double.NaN })
	void rejectsARandomizedWaitFactorOutsideZeroToOne(double factor) {
		assertRejected((builder) -> builder.circuitBreaker(breaker(factor)), "circuit-breaker.randomized-wait-factor",
				Reason.OUT_OF_RANGE);
	}

	@ParameterizedTest
	@ValueSource(doubles = { 0.0, 0.5, 0.99 })
	void acceptsARandomizedWaitFactorInZeroToOne(double factor) {
		assertThat(valid().circuitBreaker(breaker(factor)).build().circuitBreaker().randomizedWaitFactor())
			.isEqualTo(factor);
	}

	@Test
	void newSettingsHaveTheirDocumentedDefaults() {
		assertThat(CircuitBreakerSettings.defaults().randomizedWaitFactor()).isEqualTo(0.5);
		assertThat(ResumeSettings.disabled().fsync()).isFalse();
		assertThat(new ResumeSettings(true, ResumeSettings.Store.FILE, java.nio.file.Path.of("state"),
				ResumeSettings.Carrier.HANDLER, null, Duration.ZERO, true)
			.fsync()).isTrue();
	}

	@Test
	void aProblemOfNoSpecificKindIsInvalid() {
		InvalidConnectionSettingException ex = new InvalidConnectionSettingException("tls.trust-store", "x",
				"cannot be read");
		assertThat(ex.code()).isEqualTo(Reason.INVALID);
		assertThat(ex.reason()).isEqualTo("cannot be read");
		assertThat(ex).hasMessage("tls.trust-store (x) cannot be read");
	}

	@Test
	void toStringNeverShowsHeaderValues() {
		ConnectionSettings settings = valid().header("Authorization", "Bearer s3cr3t").build();
		assertThat(settings.toString()).contains("Authorization").doesNotContain("s3cr3t");
		assertThat(new TlsSettings(null, "changeit", null, true, null).toString()).doesNotContain("changeit");
	}

	private static CircuitBreakerSettings breaker(double randomizedWaitFactor) {
		return new CircuitBreakerSettings(true, 50, 5, 10, Duration.ofSeconds(60), 1, randomizedWaitFactor);
	}

	private static ReconnectSettings reconnect(Duration initial, Duration max, double multiplier, int maxAttempts) {
		return new ReconnectSettings(initial, max, multiplier, Jitter.FULL, maxAttempts, Duration.ofSeconds(30));
	}

}
