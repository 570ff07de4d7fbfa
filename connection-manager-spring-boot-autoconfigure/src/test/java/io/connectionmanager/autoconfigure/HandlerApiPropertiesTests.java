package io.connectionmanager.autoconfigure;

import java.time.Duration;
import java.time.ZoneId;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.SilenceSettings;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The keys of the handler API (issue 11) bind, merge with {@code defaults} like every
 * key, and a bad cron expression stops start-up naming the full property.
 */
class HandlerApiPropertiesTests {

	private static final String FEED = "connection-manager.connections.feed.";

	@Test
	void rateLimitSilenceAndServerDelayKeysBindAndMergeWithDefaults() {
		MockEnvironment environment = new MockEnvironment().withProperty(FEED + "url", "ws://localhost/feed")
			.withProperty("connection-manager.defaults.outbound.rate-limit.limit-for-period", "5")
			.withProperty(FEED + "outbound.rate-limit.timeout", "2s")
			.withProperty(FEED + "inbound.max-silence", "30s")
			.withProperty(FEED + "inbound.on-silence", "event")
			.withProperty(FEED + "inbound.silence-schedule", "* * 9-16 * * MON-FRI")
			.withProperty(FEED + "inbound.silence-zone", "America/New_York")
			.withProperty(FEED + "reconnect.max-server-delay", "2m");
		ConnectionSettings settings = ConnectionManagerBinding.bind(environment).definitions().get("feed").settings();

		assertThat(settings.outbound().rateLimit().limitForPeriod()).isEqualTo(5);
		assertThat(settings.outbound().rateLimit().limitRefreshPeriod()).isEqualTo(Duration.ofSeconds(1));
		assertThat(settings.outbound().rateLimit().timeout()).isEqualTo(Duration.ofSeconds(2));
		SilenceSettings silence = settings.inbound().silence();
		assertThat(silence.maxSilence()).isEqualTo(Duration.ofSeconds(30));
		assertThat(silence.onSilence()).isEqualTo(SilenceSettings.OnSilence.EVENT);
		assertThat(silence.schedule()).hasToString("* * 9-16 * * MON-FRI");
		assertThat(silence.zone()).isEqualTo(ZoneId.of("America/New_York"));
		assertThat(settings.reconnect().maxServerDelay()).isEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void withoutTheKeysNothingIsLimitedOrWatched() {
		ConnectionSettings settings = ConnectionManagerBinding
			.bind(new MockEnvironment().withProperty(FEED + "url", "ws://localhost/feed"))
			.definitions()
			.get("feed")
			.settings();
		assertThat(settings.outbound().rateLimit().enabled()).isFalse();
		assertThat(settings.inbound().silence().enabled()).isFalse();
		assertThat(settings.reconnect().maxServerDelay()).isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void aScheduleThatIsNotACronExpressionNamesItsProperty() {
		MockEnvironment environment = new MockEnvironment().withProperty(FEED + "url", "ws://localhost/feed")
			.withProperty(FEED + "inbound.max-silence", "30s")
			.withProperty(FEED + "inbound.silence-schedule", "weekdays 9 to 5");
		assertThatExceptionOfType(InvalidConnectionPropertyException.class)
			.isThrownBy(() -> ConnectionManagerBinding.bind(environment))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo(FEED + "inbound.silence-schedule"));
	}

}
