package io.connectionmanager.reliability.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import io.connectionmanager.test.server.SequencedStreamServer;

/**
 * The server side of the network-namespace tests, run as its own JVM inside the namespace
 * (a JVM cannot move one of its threads into another namespace): a
 * {@link SequencedStreamServer} on the namespace's loopback, and a plain TCP relay from
 * the namespace's veth address to it. Prints {@code READY <port>} and runs until stdin
 * closes.
 * <p>
 * Arguments: bind address, stream total, batch, pause in microseconds.
 */
public final class NamespacePeer {

	private NamespacePeer() {
	}

	public static void main(String[] args) throws IOException {
		try (SequencedStreamServer server = SequencedStreamServer.start(Long.parseLong(args[1]),
				Integer.parseInt(args[2]), Long.parseLong(args[3])); ServerSocket relay = new ServerSocket()) {
			relay.bind(new InetSocketAddress(InetAddress.getByName(args[0]), 0));
			Thread acceptor = new Thread(() -> accept(relay, server.server().port()), "relay-accept");
			acceptor.setDaemon(true);
			acceptor.start();
			System.out.println("READY " + relay.getLocalPort());
			System.out.flush();
			while (System.in.read() != -1) {
				// the parent keeps stdin open for as long as it wants us
			}
		}
		System.exit(0);
	}

	private static void accept(ServerSocket relay, int serverPort) {
		while (!relay.isClosed()) {
			try {
				Socket client = relay.accept();
				Socket upstream = new Socket(InetAddress.getLoopbackAddress(), serverPort);
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				pipe(client, upstream);
				pipe(upstream, client);
			}
			catch (IOException ex) {
				// closed, or the server refused: the client sees the connection end
			}
		}
	}

	/**
	 * Copies one direction; when it ends, both sockets close so the other direction ends
	 * too.
	 */
	private static void pipe(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					out.write(buffer, 0, read);
				}
			}
			catch (IOException ex) {
				// reset or closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "relay-pipe");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

}
