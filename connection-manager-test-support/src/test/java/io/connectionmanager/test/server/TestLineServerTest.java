package io.connectionmanager.test.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.connectionmanager.test.support.Clients.readLine;
import static io.connectionmanager.test.support.Clients.socket;
import static io.connectionmanager.test.support.Clients.writeLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TestLineServerTest {

	private TestLineServer server;

	@AfterEach
	void stop() {
		server.close();
	}

	@Test
	void echoesLines() throws Exception {
		server = TestLineServer.start();
		try (Socket socket = socket(server.port())) {
			writeLine(socket, "one");
			writeLine(socket, "two");
			assertThat(readLine(socket)).isEqualTo("one");
			assertThat(readLine(socket)).isEqualTo("two");
		}
		assertThat(server.linesReceived()).isEqualTo(2);
	}

	@Test
	void echoesLengthPrefixedFrames() throws Exception {
		server = TestLineServer.start(TestLineServer.Framing.LENGTH_PREFIXED, 1024);
		try (Socket socket = socket(server.port())) {
			DataOutputStream out = new DataOutputStream(socket.getOutputStream());
			byte[] payload = "multi\nline".getBytes(StandardCharsets.UTF_8);
			out.writeInt(payload.length);
			out.write(payload);
			out.flush();

			DataInputStream in = new DataInputStream(socket.getInputStream());
			assertThat(in.readInt()).isEqualTo(payload.length);
			assertThat(in.readNBytes(payload.length)).isEqualTo(payload);
		}
	}

	@Test
	void hookReplacesEcho() throws Exception {
		server = TestLineServer.start();
		server.onLine((connection, line) -> connection.send("got " + line));
		try (Socket socket = socket(server.port())) {
			writeLine(socket, "x");
			assertThat(readLine(socket)).isEqualTo("got x");
		}
	}

	@Test
	void lineAboveTheLimitClosesTheConnection() throws Exception {
		server = TestLineServer.start(TestLineServer.Framing.LINES, 16);
		try (Socket socket = socket(server.port())) {
			writeLine(socket, "short");
			assertThat(readLine(socket)).isEqualTo("short");
			writeLine(socket, "x".repeat(100));
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
		}
	}

	@Test
	void freezeStopsEchoUntilUnfrozen() throws Exception {
		server = TestLineServer.start();
		try (Socket socket = socket(server.port())) {
			writeLine(socket, "before");
			assertThat(readLine(socket)).isEqualTo("before");

			server.freeze();
			writeLine(socket, "during");
			socket.setSoTimeout(400);
			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
			assertThat(server.linesReceived()).isEqualTo(1);
			assertThat(server.connections()).hasSize(1);

			server.unfreeze();
			socket.setSoTimeout(5000);
			assertThat(readLine(socket)).isEqualTo("during");
		}
	}

	@Test
	void killResetsAndRefusesThenRestartServesTheSamePort() throws Exception {
		server = TestLineServer.start();
		int port = server.port();
		try (Socket socket = socket(port)) {
			writeLine(socket, "hi");
			assertThat(readLine(socket)).isEqualTo("hi");

			server.kill();

			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class)
				.hasMessageContaining("reset");
		}
		assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
			.isInstanceOf(ConnectException.class);

		server.restart();

		assertThat(server.port()).isEqualTo(port);
		try (Socket socket = socket(port)) {
			writeLine(socket, "again");
			assertThat(readLine(socket)).isEqualTo("again");
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().isEmpty());
	}

}
