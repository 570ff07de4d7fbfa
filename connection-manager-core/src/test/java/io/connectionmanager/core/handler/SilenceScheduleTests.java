package io.connectionmanager.core.handler;

import java.time.Duration;
import java.time.ZoneOffset;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.connectionmanager.core.config.SilenceSettings;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.core.testing.ScriptedTransport;
import io.connectionmanager.core.testing.VirtualTimeExecutor;
import io.connectionmanager.core.transport.Message;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * On virtual time (from Thursday 2026-01-01 00:00 UTC): with a silence schedule, silence
 * counts only within its windows, and the clock starts again when a window opens, so a
 * quiet night is not a failure.
 */
class SilenceScheduleTests {

	private static final String MARKET_HOURS = "* * 9-16 * * MON-FRI";

	private final VirtualTimeExecutor executor = new VirtualTimeExecutor();

	private final ScriptedTransport transport = new ScriptedTransport();

	private final RecordingListener listener = new RecordingListener();

	@Test
	void aQuietNightIsNotASilenceAndTheClockRestartsWhenTheWindowOpens() {
		ManagedConnection connection = connected(SilenceSettings.OnSilence.RECONNECT);
		this.executor.advance(Duration.ofHours(9));
		assertThat(this.listener.silences).isEmpty();
		assertThat(connection.state()).isEqualTo(ConnectionState.CONNECTED);

		// 09:00:00 opened the window: the silence counts from there, not from midnight.
		this.executor.advance(Duration.ofSeconds(59));
		assertThat(this.listener.silences).isEmpty();
		this.executor.advance(Duration.ofSeconds(1));
		assertThat(this.listener.silences).hasSize(1);
		assertThat(connection.state()).isEqualTo(ConnectionState.RECONNECTING);
		assertThat(connection.snapshot().lastFailure().kind()).isEqualTo(FailureKind.DATA_SILENCE);
	}

	@Test
	void dataPostponesItAndAClosingWindowSuspendsItUntilTheNextOne() {
		ManagedConnection connection = connected(SilenceSettings.OnSilence.EVENT);
		this.executor.advance(Duration.ofHours(9).plusSeconds(30));
		this.transport.last().listener.onMessage(Message.text("tick"));
		this.executor.advance(Duration.ofSeconds(59));
		assertThat(this.listener.silences).isEmpty();
		this.executor.advance(Duration.ofSeconds(1));
		assertThat(this.listener.silences).hasSize(1);

		// Data at 16:59:30; the window closes at 17:00:00 and reopens on Friday 09:00:00.
		this.executor.advance(Duration.ofHours(7).plusMinutes(58));
		this.transport.last().listener.onMessage(Message.text("tick"));
		this.executor.advance(Duration.ofHours(16).plusSeconds(30).plusSeconds(59));
		assertThat(this.listener.silences).hasSize(1);
		this.executor.advance(Duration.ofSeconds(1));
		assertThat(this.listener.silences).hasSize(2);
		assertThat(this.listener.silences.get(1).timestamp()).hasToString("2026-01-02T09:01:00Z");
		assertThat(connection.state()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void aScheduleNeedsMaxSilenceAndMustParse() {
		assertThatExceptionOfType(InvalidConnectionSettingException.class)
			.isThrownBy(() -> SilenceSettings.schedule("every weekday"))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("inbound.silence-schedule"));
		assertThatExceptionOfType(InvalidConnectionSettingException.class)
			.isThrownBy(() -> new SilenceSettings(null, SilenceSettings.OnSilence.EVENT,
					SilenceSettings.schedule(MARKET_HOURS), ZoneOffset.UTC))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(InvalidConnectionSettingException.Reason.CONFLICT));
	}

	private ManagedConnection connected(SilenceSettings.OnSilence onSilence) {
		SilenceSettings silence = new SilenceSettings(Duration.ofMinutes(1), onSilence,
				SilenceSettings.schedule(MARKET_HOURS), ZoneOffset.UTC);
		ManagedConnection connection = ManagedConnection
			.builder(ConnectionSettings.builder("market")
				.url("ws://127.0.0.1:9/feed")
				.heartbeat(HeartbeatSettings.disabled())
				.circuitBreaker(CircuitBreakerSettings.disabled())
				.inbound(InboundSettings.defaults().withSilence(silence))
				.build())
			.executor(this.executor)
			.transport(this.transport)
			.handler(ConnectionHandler.NONE)
			.listener(this.listener)
			.build();
		connection.connect();
		this.executor.runPending();
		this.transport.last().open();
		this.executor.runPending();
		assertThat(connection.state()).isEqualTo(ConnectionState.CONNECTED);
		return connection;
	}

}
