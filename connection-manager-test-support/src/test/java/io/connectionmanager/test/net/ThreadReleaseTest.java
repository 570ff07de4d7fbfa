package io.connectionmanager.test.net;

import io.connectionmanager.test.proxy.FaultInjectingProxy;
import io.connectionmanager.test.server.TestLineServer;
import io.connectionmanager.test.server.TestWebSocketServer;
import io.connectionmanager.test.support.RecordingListener;
import org.junit.jupiter.api.Test;

import java.net.Socket;

import static io.connectionmanager.test.support.Clients.connect;
import static io.connectionmanager.test.support.Clients.readLine;
import static io.connectionmanager.test.support.Clients.socket;
import static io.connectionmanager.test.support.Clients.writeLine;
import static org.assertj.core.api.Assertions.assertThat;

class ThreadReleaseTest {

	private static long peerThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.filter(t -> t.getName().startsWith("cm-test-"))
			.count();
	}

	@Test
	void closeReleasesEveryThreadBeforeReturning() throws Exception {
		long before = peerThreads();
		TestWebSocketServer ws = TestWebSocketServer.start();
		TestLineServer line = TestLineServer.start();
		FaultInjectingProxy proxy = FaultInjectingProxy.start(line.port());
		RecordingListener listener = new RecordingListener();
		connect(ws.uri("/"), listener).sendText("t", true).join();
		assertThat(listener.nextText()).isEqualTo("t");
		try (Socket socket = socket(proxy.port())) {
			writeLine(socket, "l");
			assertThat(readLine(socket)).isEqualTo("l");
		}
		ws.freeze(); // a frozen peer must close just as cleanly
		assertThat(peerThreads()).isGreaterThan(before);

		proxy.close();
		line.close();
		ws.close();

		assertThat(peerThreads()).isEqualTo(before);
		ws.close(); // idempotent
	}

}
