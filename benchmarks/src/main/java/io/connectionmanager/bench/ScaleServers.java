package io.connectionmanager.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The scale scenario's servers: {@code count} {@link ScaleServerMain} processes, each
 * with its own sockets and file-descriptor limit, each listening on one port on the
 * loopback addresses. Connection {@code i} goes to server {@code i % count}, address
 * {@code (i / count) % addresses}, so that no process holds more than {@code n / count}
 * sockets and ephemeral ports never run short.
 */
final class ScaleServers implements AutoCloseable {

	static final List<String> ADDRESSES = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4");

	private final List<Server> servers = new ArrayList<>();

	ScaleServers(int count) throws IOException {
		try {
			for (int i = 0; i < count; i++) {
				this.servers.add(Server.start());
			}
		}
		catch (IOException | RuntimeException ex) {
			close();
			throw ex;
		}
	}

	URI uri(int connection) {
		Server server = this.servers.get(connection % this.servers.size());
		String address = server.addresses.get((connection / this.servers.size()) % server.addresses.size());
		return URI.create("ws://" + address + ":" + server.port + "/scale");
	}

	/** Each server's count of open connections. */
	List<Integer> openConnections() throws IOException {
		List<Integer> open = new ArrayList<>();
		for (Server server : this.servers) {
			open.add(server.openConnections());
		}
		return open;
	}

	List<String> describe() {
		return this.servers.stream()
			.map((server) -> "pid " + server.process.pid() + " port " + server.port + " on " + server.addresses)
			.toList();
	}

	@Override
	public void close() {
		for (Server server : this.servers) {
			server.stop();
		}
	}

	private static final class Server {

		private final Process process;

		private final Writer in;

		private final BufferedReader out;

		private final int port;

		private final List<String> addresses;

		private Server(Process process, Writer in, BufferedReader out, int port, List<String> addresses) {
			this.process = process;
			this.in = in;
			this.out = out;
			this.port = port;
			this.addresses = addresses;
		}

		static Server start() throws IOException {
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			List<String> command = List.of(java, "-Xmx1g", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"),
					ScaleServerMain.class.getName(), String.join(",", ADDRESSES));
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
			Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
			BufferedReader out = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			String line = out.readLine();
			if (line == null || !line.startsWith("LISTENING ")) {
				process.destroyForcibly();
				throw new IOException("scale server did not start: " + line);
			}
			String[] listening = line.split(" ");
			return new Server(process, in, out, Integer.parseInt(listening[1]), List.of(listening[2].split(",")));
		}

		int openConnections() throws IOException {
			this.in.write("STATS\n");
			this.in.flush();
			String stats = this.out.readLine();
			return (stats != null) ? Integer.parseInt(stats.replace("STATS ", "").trim()) : -1;
		}

		void stop() {
			try {
				this.in.close();
			}
			catch (IOException ex) {
				// the process is destroyed below anyway
			}
			this.process.destroy();
			try {
				if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.process.destroyForcibly();
			}
		}

	}

}
