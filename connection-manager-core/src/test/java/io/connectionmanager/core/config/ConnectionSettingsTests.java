package io.connectionmanager.core.config;

import java.time.Duration;
import java.util.function.Consumer;

import io.connectionmanager.core.backoff.Jitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ConnectionSettingsTests {

	private static ConnectionSettings.Builder valid() {
		return ConnectionSettings.builder("feed").url("ws://127.0.0.1:8080/stream");
	}

	private static void assertRejected(Consumer<ConnectionSettings.Builder> change, String property) {
		ConnectionSettings.Builder builder = valid();
		assertThatExceptionOfType(InvalidConnectionSettingException.class).isThrownBy(() -> {
			change.accept(builder);
			builder.build();
		}).satisfies((ex) -> {
			assertThat(ex.property()).isEqualTo(property);
			assertThat(ex.getMessage()).startsWith(property);
		});
	}

	@Test
	void defaultsAreValid() {
		ConnectionSettings settings = valid().build();
		assertThat(settings.reconnect().jitter()).isEqualTo(Jitter.FULL);
		assertThat(settings.heartbeat().detectionBound()).isEqualTo(Duration.ofSeconds(25));
		assertThat(settings.isSecure()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://example.com/x", "ftp://example.com", "example.com:80", "ws://", "::not a uri" })
	void rejectsUrlsWithoutAUsableSchemeOrHost(String url) {
		assertRejected((builder) -> builder.url(url), "url");
	}

	@Test
	void rejectsAMissingUrl() {
		assertThatExceptionOfType(InvalidConnectionSettingException.class)
			.isThrownBy(() -> ConnectionSettings.builder("feed").build())
			.withMessage("url (null) is required");
	}

	@Test
	void rejectsCredentialsInTheUrlWithoutEchoingThem() {
		assertThatExceptionOfType(InvalidConnectionSettingException.class)
			.isThrownBy(() -> valid().url("wss://user:secret@example.com/x").build())
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("secret"));
	}

	@Test
	void rejectsRawTcpWithoutFraming() {
		assertRejected((builder) -> builder.url("tcp://127.0.0.1:9000"), "framing");
		assertThat(valid().url("tcp://127.0.0.1:9000").framing(Framing.LINES).build().isRawTcp()).isTrue();
	}

	@Test
	void rejectsNonPositiveDurations() {
		assertRejected((builder) -> builder.connectTimeout(Duration.ZERO), "connect-timeout");
		assertRejected((builder) -> builder.authenticationTimeout(Duration.ofSeconds(-1)), "authentication-timeout");
		assertRejected(
				(builder) -> builder.heartbeat(new HeartbeatSettings(true, Duration.ZERO, Duration.ofSeconds(1))),
				"heartbeat.interval");
		assertRejected((builder) -> builder.heartbeat(new HeartbeatSettings(true, Duration.ofSeconds(1), null)),
				"heartbeat.timeout");
		assertRejected((builder) -> builder.reconnect(reconnect(Duration.ZERO, Duration.ofSeconds(1), 2.0, -1)),
				"reconnect.initial-delay");
	}

	@Test
	void rejectsMaxDelayBelowInitialDelay() {
		assertRejected((builder) -> builder.reconnect(reconnect(Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0, -1)),
				"reconnect.max-delay");
	}

	@Test
	void rejectsMultiplierBelowOne() {
		assertRejected((builder) -> builder.reconnect(reconnect(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, -1)),
				"reconnect.multiplier");
		assertRejected(
				(builder) -> builder.reconnect(reconnect(Duration.ofSeconds(1), Duration.ofSeconds(2), Double.NaN, -1)),
				"reconnect.multiplier");
	}

	@Test
	void rejectsZeroMaxAttempts() {
		assertRejected((builder) -> builder.reconnect(reconnect(Duration.ofSeconds(1), Duration.ofSeconds(2), 2.0, 0)),
				"reconnect.max-attempts");
	}

	@Test
	void rejectsBadBreakerAndBufferSettings() {
		assertRejected(
				(builder) -> builder
					.circuitBreaker(new CircuitBreakerSettings(true, 0, 5, 10, Duration.ofSeconds(1), 1)),
				"circuit-breaker.failure-rate-threshold");
		assertRejected((builder) -> builder.outbound(new OutboundSettings(OutboundSettings.WhenDisconnected.BUFFER, 0,
				10, OutboundSettings.Overflow.REJECT)), "outbound.buffer-size");
		assertRejected((builder) -> builder.resume(new ResumeSettings(true, ResumeSettings.Store.FILE, null,
				ResumeSettings.Carrier.QUERY_PARAMETER, "from")), "resume.directory");
	}

	@Test
	void toStringNeverShowsHeaderValues() {
		ConnectionSettings settings = valid().header("Authorization", "Bearer s3cr3t").build();
		assertThat(settings.toString()).contains("Authorization").doesNotContain("s3cr3t");
		assertThat(new TlsSettings(null, "changeit", null, true, null).toString()).doesNotContain("changeit");
	}

	private static ReconnectSettings reconnect(Duration initial, Duration max, double multiplier, int maxAttempts) {
		return new ReconnectSettings(initial, max, multiplier, Jitter.FULL, maxAttempts, Duration.ofSeconds(30));
	}

}
