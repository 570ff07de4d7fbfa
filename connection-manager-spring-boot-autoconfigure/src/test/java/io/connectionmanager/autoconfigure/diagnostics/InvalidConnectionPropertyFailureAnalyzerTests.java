package io.connectionmanager.autoconfigure.diagnostics;

import java.util.stream.Stream;

import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.autoconfigure.InvalidConnectionPropertyException;
import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Every bad value of DESIGN.md fails start-up with one message naming the full property,
 * the value, and the fix.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidConnectionPropertyFailureAnalyzerTests {

	private static final String FEED = "connection-manager.connections.market-data.";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class))
		.withPropertyValues("connection-manager.runtime.threads=1");

	@Test
	void unknownScheme() {
		FailureAnalysis analysis = analyze(FEED + "url=http://feed.example.com/v1?token=s3cr3t");
		assertThat(analysis.getDescription()).contains("Invalid configuration of connection 'market-data'")
			.contains("Property: " + FEED + "url")
			.contains("Value: \"http://feed.example.com/v1?...\"")
			.contains("must use one of the schemes ws, wss, tcp, tls")
			.doesNotContain("s3cr3t");
		assertThat(analysis.getAction()).contains(FEED + "url").contains("ws://, wss://, tcp:// or tls://");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badValues")
	void aBadValueNamesThePropertyItsValueTheReasonAndTheFix(String property, String value, String reason,
			String action, String[] settings) {
		FailureAnalysis analysis = analyze(settings);
		assertThat(analysis.getDescription()).contains("Property: " + FEED + property)
			.contains("Value: " + value)
			.contains(reason);
		assertThat(analysis.getAction()).contains(action);
	}

	static Stream<Arguments> badValues() {
		return Stream.of(
				badValue("url", "(not set)", "Reason: is required", "Set " + FEED + "url to the server's URL",
						"auto-startup=false"),
				badValue("connect-timeout", "\"-1s\"", "Reason: must be positive",
						"Set " + FEED + "connect-timeout to a positive duration", "url=ws://localhost/feed",
						"connect-timeout=-1s"),
				badValue("heartbeat.interval", "\"0s\"", "Reason: must be positive",
						FEED + "heartbeat.interval to a positive duration", "url=ws://localhost/feed",
						"heartbeat.interval=0s"),
				badValue("reconnect.max-delay", "\"500ms\"", "must not be less than reconnect.initial-delay",
						"Set " + FEED + "reconnect.max-delay to at least", "url=ws://localhost/feed",
						"reconnect.initial-delay=5s", "reconnect.max-delay=500ms"),
				badValue("reconnect.multiplier", "\"0.5\"", "must be at least 1.0",
						"Set " + FEED + "reconnect.multiplier to 1.0 or more", "url=ws://localhost/feed",
						"reconnect.multiplier=0.5"));
	}

	private static Arguments badValue(String property, String value, String reason, String action, String... settings) {
		return Arguments.of(property, value, reason, action,
				Stream.of(settings).map((setting) -> FEED + setting).toArray(String[]::new));
	}

	@Test
	void tcpWithoutFraming() {
		FailureAnalysis analysis = analyze(FEED + "url=tcp://localhost:9000");
		assertThat(analysis.getDescription()).contains("Property: " + FEED + "framing")
			.contains("Value: (not set)")
			.contains("is required for tcp:// URLs");
		assertThat(analysis.getAction()).contains("Set " + FEED + "framing to lines or length-prefixed");
	}

	@Test
	void badValueInheritedFromDefaultsNamesTheConnectionPropertyAndItsSource() {
		FailureAnalysis analysis = analyze("connection-manager.defaults.reconnect.max-delay=100ms",
				FEED + "url=ws://localhost/feed");
		assertThat(analysis.getDescription()).contains("Property: " + FEED + "reconnect.max-delay")
			.contains("Value: \"100ms\"")
			.contains("Origin: inherited from connection-manager.defaults.reconnect.max-delay");
		assertThat(analysis.getAction()).contains("Set " + FEED + "reconnect.max-delay to at least")
			.contains("change it there, or override it for this connection");
	}

	@Test
	void nonPositiveThreadCount() {
		FailureAnalysis analysis = analyze("connection-manager.runtime.threads=0");
		assertThat(analysis.getDescription()).contains("Property: connection-manager.runtime.threads")
			.contains("Value: \"0\"")
			.contains("must be at least 1");
		assertThat(analysis.getAction()).contains("connection-manager.runtime.threads");
	}

	@Test
	void randomizedWaitFactorOutsideZeroToOne() {
		FailureAnalysis analysis = analyze(FEED + "url=ws://localhost/feed",
				FEED + "circuit-breaker.randomized-wait-factor=1");
		assertThat(analysis.getDescription()).contains("Property: " + FEED + "circuit-breaker.randomized-wait-factor")
			.contains("Value: \"1\"")
			.contains("Reason: must be in [0, 1)");
		assertThat(analysis.getAction())
			.contains("Set " + FEED + "circuit-breaker.randomized-wait-factor to at least 0")
			.contains("less than 1");
	}

	@Test
	void nonPositiveConnectLimit() {
		FailureAnalysis analysis = analyze("connection-manager.runtime.max-connects-in-flight=0");
		assertThat(analysis.getDescription()).contains("Invalid connection-manager configuration")
			.contains("Property: connection-manager.runtime.max-connects-in-flight")
			.contains("Value: \"0\"")
			.contains("Reason: must be at least 1");
		assertThat(analysis.getAction()).contains("connection-manager.runtime.max-connects-in-flight");
	}

	@Test
	void aSpinThatIsNotAShortWait() {
		FailureAnalysis analysis = analyze("connection-manager.runtime.handler-spin=1s");
		assertThat(analysis.getDescription()).contains("Property: connection-manager.runtime.handler-spin")
			.contains("Reason: must be at most PT0.01S");
		FailureAnalysis negative = analyze("connection-manager.runtime.loop-spin=-1ms");
		assertThat(negative.getDescription()).contains("Property: connection-manager.runtime.loop-spin")
			.contains("Reason: must be zero (off) or positive");
	}

	@Test
	void nonPositiveOutageSummaryInterval() {
		FailureAnalysis analysis = analyze("connection-manager.logging.outage-summary-interval=0s");
		assertThat(analysis.getDescription()).contains("Property: connection-manager.logging.outage-summary-interval")
			.contains("Value: \"0s\"")
			.contains("Reason: must be positive");
		assertThat(analysis.getAction())
			.contains("Set connection-manager.logging.outage-summary-interval to a positive duration");
	}

	@Test
	void theAdviceFollowsTheReasonCodeNotJustTheProperty() {
		// reconnect.max-delay has its own advice for a conflict with initial-delay; a
		// value
		// that is too large must not get it.
		FailureAnalysis analysis = analyze(FEED + "url=ws://localhost/feed", FEED + "reconnect.max-delay=400d");
		assertThat(analysis.getDescription()).contains("Property: " + FEED + "reconnect.max-delay")
			.contains("Reason: must be at most");
		assertThat(analysis.getAction()).contains("Change " + FEED + "reconnect.max-delay: it must be at most")
			.doesNotContain("initial-delay");
	}

	@Test
	void theFailureCarriesTheReasonCode() {
		assertThat(failure(FEED + "auto-startup=false").getCode()).isEqualTo(Reason.REQUIRED);
		assertThat(failure(FEED + "url=ftp://localhost/feed").getCode()).isEqualTo(Reason.UNSUPPORTED_VALUE);
		assertThat(failure(FEED + "url=ws://localhost/feed", FEED + "heartbeat.timeout=-2s").getCode())
			.isEqualTo(Reason.NOT_POSITIVE);
		InvalidConnectionPropertyException conflict = failure(FEED + "url=ws://localhost/feed",
				FEED + "reconnect.initial-delay=5s", FEED + "reconnect.max-delay=1s");
		assertThat(conflict.getCode()).isEqualTo(Reason.CONFLICT);
		assertThat(conflict.getRelativeProperty()).isEqualTo("reconnect.max-delay");
		assertThat(conflict.isInherited()).isFalse();
	}

	@Test
	void valuesThatDoNotConvertGetBootsBindingAnalysis(CapturedOutput output) {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--" + FEED + "url=ws://localhost/feed",
				"--" + FEED + "reconnect.jitter=sometimes"));
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains(FEED + "reconnect.jitter")
			.contains("sometimes")
			.doesNotContain("\tat ");
	}

	@Test
	void isRegisteredAsAFailureAnalyzer() {
		// Boot's own analyzers need a bean factory to be instantiated: skip them, keep
		// ours.
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, null, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
			}))).hasAtLeastOneElementOfType(InvalidConnectionPropertyFailureAnalyzer.class);
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(ConnectionManagerAutoConfiguration.class)
	static class Application {

	}

	private InvalidConnectionPropertyException failure(String... properties) {
		InvalidConnectionPropertyException[] failure = new InvalidConnectionPropertyException[1];
		this.runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(InvalidConnectionSettingException.class);
			Throwable cause = context.getStartupFailure();
			while (!(cause instanceof InvalidConnectionPropertyException)) {
				cause = cause.getCause();
			}
			failure[0] = (InvalidConnectionPropertyException) cause;
		});
		return failure[0];
	}

	private FailureAnalysis analyze(String... properties) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		this.runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = new InvalidConnectionPropertyFailureAnalyzer().analyze(context.getStartupFailure());
		});
		assertThat(analysis[0]).as("failure analysis").isNotNull();
		assertThat(analysis[0].getAction()).startsWith("Update your application's configuration.");
		return analysis[0];
	}

}
