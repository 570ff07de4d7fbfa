package io.connectionmanager.reliability.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile peer on 127.0.0.1 speaking raw bytes, for what well-behaved test servers
 * cannot do: frames that are not WebSocket frames, headers that never end, TCP that never
 * turns into TLS. Each accepted socket runs the script on its own daemon thread; the peer
 * counts connections and the bytes its scripts managed to write.
 */
public final class RawPeer implements AutoCloseable {

	/** What the peer does with one accepted connection. */
	@FunctionalInterface
	public interface Script {

		void run(Socket socket, RawPeer peer) throws IOException;

	}

	private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private final ServerSocket listener;

	private final Thread acceptor;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final List<Thread> workers = new CopyOnWriteArrayList<>();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicLong bytesWritten = new AtomicLong();

	private RawPeer(Script script) throws IOException {
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.acceptor = new Thread(() -> acceptLoop(script), "raw-peer-accept");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	public static RawPeer start(Script script) {
		try {
			return new RawPeer(script);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void acceptLoop(Script script) {
		while (!this.listener.isClosed()) {
			try {
				Socket socket = this.listener.accept();
				this.accepted.incrementAndGet();
				this.sockets.add(socket);
				Thread worker = new Thread(() -> {
					try {
						script.run(socket, this);
					}
					catch (IOException ex) {
						// the client hung up, or close() did: both end the script
					}
				}, "raw-peer-conn");
				worker.setDaemon(true);
				this.workers.add(worker);
				worker.start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	public int port() {
		return this.listener.getLocalPort();
	}

	public URI uri(String scheme, String path) {
		return URI.create(scheme + "://127.0.0.1:" + port() + path);
	}

	public int connectionsAccepted() {
		return this.accepted.get();
	}

	public long bytesWritten() {
		return this.bytesWritten.get();
	}

	/** Writes and counts; throws once the client has gone. */
	public void write(Socket socket, byte[] bytes) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write(bytes);
		out.flush();
		this.bytesWritten.addAndGet(bytes.length);
	}

	/** Reads until the end of the client's HTTP request head and returns it. */
	public static String readRequestHead(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		StringBuilder head = new StringBuilder();
		int b;
		while ((b = in.read()) != -1) {
			head.append((char) b);
			if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
				return head.toString();
			}
		}
		throw new IOException("client closed before finishing its request");
	}

	/**
	 * Completes a genuine WebSocket upgrade, after which the script may write any bytes
	 * it likes.
	 */
	public void acceptUpgrade(Socket socket) throws IOException {
		String key = header(readRequestHead(socket), "sec-websocket-key");
		write(socket, ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Accept: " + acceptKey(key) + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * Reads (and drops) whatever the client sends until it closes: keeps the socket
	 * drained.
	 */
	public static void drain(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		byte[] buffer = new byte[8192];
		while (in.read(buffer) != -1) {
			// discard
		}
	}

	static String header(String head, String name) {
		for (String line : head.split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
				return line.substring(colon + 1).trim();
			}
		}
		throw new IllegalStateException("no " + name + " header in " + head);
	}

	static String acceptKey(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1")
				.digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An unmasked server frame with FIN set. */
	public static byte[] frame(int opcode, byte[] payload) {
		return frame(0x80 | opcode, payload.length, payload);
	}

	/**
	 * A frame with any first byte and any declared length (which need not match the
	 * payload).
	 */
	public static byte[] frame(int firstByte, long declaredLength, byte[] payload) {
		byte[] header;
		if (declaredLength < 126) {
			header = new byte[] { (byte) firstByte, (byte) declaredLength };
		}
		else if (declaredLength <= 0xFFFF) {
			header = new byte[] { (byte) firstByte, 126, (byte) (declaredLength >> 8), (byte) declaredLength };
		}
		else {
			header = new byte[10];
			header[0] = (byte) firstByte;
			header[1] = 127;
			for (int i = 0; i < 8; i++) {
				header[9 - i] = (byte) (declaredLength >> (8 * i));
			}
		}
		byte[] frame = new byte[header.length + payload.length];
		System.arraycopy(header, 0, frame, 0, header.length);
		System.arraycopy(payload, 0, frame, header.length, payload.length);
		return frame;
	}

	@Override
	public void close() {
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			// already closed
		}
		for (Socket socket : this.sockets) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// already closed
			}
		}
		try {
			this.acceptor.join(5000);
			for (Thread worker : this.workers) {
				worker.join(5000);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
