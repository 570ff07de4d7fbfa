package io.connectionmanager.core.config;

import java.time.Duration;

import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Validation of the handler API's settings (rate limit, data silence, server-directed
 * delay cap): a bad value names its property.
 */
class HandlerApiSettingsTests {

	@Test
	void rateLimitBounds() {
		assertThat(RateLimitSettings.disabled().enabled()).isFalse();
		assertThat(RateLimitSettings.of(5, Duration.ofSeconds(1)).enabled()).isTrue();
		assertThat(new RateLimitSettings(5, Duration.ofSeconds(1), Duration.ZERO).timeout()).isZero();
		assertProperty(() -> new RateLimitSettings(-1, Duration.ofSeconds(1), Duration.ZERO),
				"outbound.rate-limit.limit-for-period", Reason.TOO_SMALL);
		assertProperty(() -> new RateLimitSettings(10_001, Duration.ofSeconds(1), Duration.ZERO),
				"outbound.rate-limit.limit-for-period", Reason.TOO_LARGE);
		assertProperty(() -> new RateLimitSettings(5, Duration.ZERO, Duration.ZERO),
				"outbound.rate-limit.limit-refresh-period", Reason.NOT_POSITIVE);
		assertProperty(() -> new RateLimitSettings(5, Duration.ofSeconds(1), Duration.ofSeconds(-1)),
				"outbound.rate-limit.timeout", Reason.TOO_SMALL);
	}

	@Test
	void maxServerDelayDefaultsToTenMinutesAndMustBePositive() {
		assertThat(ReconnectSettings.defaults().maxServerDelay()).isEqualTo(Duration.ofMinutes(10));
		assertProperty(() -> new ReconnectSettings(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, Jitter.FULL, -1,
				Duration.ofSeconds(30), Duration.ZERO), "reconnect.max-server-delay", Reason.NOT_POSITIVE);
	}

	@Test
	void silenceNeedsAPositiveMaxSilence() {
		assertThat(InboundSettings.defaults().silence().enabled()).isFalse();
		assertProperty(() -> SilenceSettings.of(Duration.ofSeconds(-5), SilenceSettings.OnSilence.EVENT),
				"inbound.max-silence", Reason.NOT_POSITIVE);
		assertProperty(() -> SilenceSettings.of(Duration.ofSeconds(5), null), "inbound.on-silence", Reason.REQUIRED);
	}

	private static void assertProperty(Runnable construction, String property, Reason reason) {
		assertThatExceptionOfType(InvalidConnectionSettingException.class).isThrownBy(construction::run)
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo(property);
				assertThat(ex.code()).isEqualTo(reason);
			});
	}

}
