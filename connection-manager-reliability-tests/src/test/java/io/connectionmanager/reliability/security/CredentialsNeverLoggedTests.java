package io.connectionmanager.reliability.security;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.reliability.support.LogCapture;
import io.connectionmanager.reliability.support.Observed;
import io.connectionmanager.reliability.support.Settings;
import io.connectionmanager.reliability.support.StateTimeline;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.FATAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connection sends an {@code Authorization} header and then fails in every way we can
 * provoke, with the engine, Netty and Resilience4j logging at DEBUG: the credential
 * appears in no log event, no exception in a log event, no console output, and no
 * failure, snapshot or settings text.
 */
@ExtendWith(OutputCaptureExtension.class)
class CredentialsNeverLoggedTests {

	private static final String TOKEN = "tok-9d81c0ffee42";

	private static final String AUTHORIZATION = "Bearer " + TOKEN;

	@Test
	void failingInEveryWayNeverLogsTheCredential(CapturedOutput output) {
		List<String> texts = new ArrayList<>();
		try (LogCapture logs = new LogCapture("io.connectionmanager", "io.netty", "io.github.resilience4j");
				ConnectionRuntime runtime = ConnectionRuntime.create(1);
				TestWebSocketServer server = TestWebSocketServer.start();
				TestWebSocketServer tls = TestWebSocketServer.builder().tls().start();
				TestWebSocketServer gone = TestWebSocketServer.start()) {
			server.requireHeader("Authorization", AUTHORIZATION);
			gone.kill();

			// 401: the server wants another credential -> FATAL
			try (Observed wrong = connect(runtime, "wrong-credential", server.uri("/feed"), "Bearer not-" + TOKEN)) {
				StateTimeline.awaitState(wrong.connection(), FATAL);
				texts.add(wrong.connection().snapshot().toString());
			}
			// connection refused, certificate rejected
			try (Observed refused = connect(runtime, "refused", gone.uri("/feed"), AUTHORIZATION);
					Observed untrusted = connect(runtime, "untrusted", tls.uri("/feed"), AUTHORIZATION)) {
				await().atMost(Duration.ofSeconds(10)).until(() -> refused.timeline().firstFailure().isPresent());
				StateTimeline.awaitState(untrusted.connection(), FATAL);
				texts.add(refused.connection().snapshot().toString());
				texts.add(untrusted.connection().snapshot().toString());
			}
			// connected, then: an oversized message, a 503 storm, a server error close, a
			// frozen server
			try (Observed victim = connect(runtime, "victim", server.uri("/feed"), AUTHORIZATION)) {
				StateTimeline.awaitState(victim.connection(), CONNECTED);
				server.broadcastText("x".repeat(8 * 1024));
				awaitConnectedAgain(victim, 1);
				server.rejectUpgrades(503);
				server.closeAll(1011, "internal error");
				await().atMost(Duration.ofSeconds(10))
					.until(() -> server.handshakes()
						.stream()
						.filter((handshake) -> handshake.status() == 503)
						.count() >= 3);
				server.acceptUpgrades();
				awaitConnectedAgain(victim, 2);
				server.freeze();
				await().atMost(Duration.ofSeconds(10)).until(() -> !victim.timeline().heartbeatsMissed().isEmpty());
				server.unfreeze();
				awaitConnectedAgain(victim, 3);
				texts.add(victim.connection().snapshot().toString());
				texts.add(victim.connection().settings().toString());
				victim.timeline().entries().forEach((entry) -> texts.add(entry.change().toString()));
			}
			assertThat(logs.eventCount()).as("events captured").isGreaterThan(20);
			assertThat(logs.text()).contains("FATAL", "HTTP 401", "HTTP 503", "close 1011", "HEARTBEAT_TIMEOUT",
					"MESSAGE_TOO_LARGE", "CERTIFICATE", "CONNECTION_REFUSED");
			assertThat(logs.text()).doesNotContain(TOKEN);
		}
		assertThat(texts).noneMatch((text) -> text.contains(TOKEN));
		assertThat(output.getAll()).doesNotContain(TOKEN);
	}

	private static Observed connect(ConnectionRuntime runtime, String name, URI url, String authorization) {
		ConnectionSettings settings = Settings.fast(name, url)
			.header("Authorization", authorization)
			.heartbeat(Settings.heartbeat(200, 200))
			.inbound(new InboundSettings(4096, 100, 64 * 1024))
			.build();
		return Observed.connect(runtime, settings);
	}

	private static void awaitConnectedAgain(Observed observed, int times) {
		await().atMost(Duration.ofSeconds(15)).until(() -> observed.timeline().count(CONNECTED) >= times + 1);
	}

}
