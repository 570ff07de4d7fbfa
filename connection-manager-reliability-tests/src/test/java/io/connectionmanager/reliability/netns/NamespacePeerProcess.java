package io.connectionmanager.reliability.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A {@link NamespacePeer} JVM running inside a {@link NetworkNamespace}. */
final class NamespacePeerProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private NamespacePeerProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	static NamespacePeerProcess start(NetworkNamespace namespace, long total, int batch, long pauseMicros) {
		List<String> command = new ArrayList<>(List.of(namespace.execPrefix()));
		command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
				"-XX:TieredStopAtLevel=1", "-cp", classPath(), NamespacePeer.class.getName(), namespace.peerAddress(),
				Long.toString(total), Integer.toString(batch), Long.toString(pauseMicros)));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			String ready = CompletableFuture.supplyAsync(() -> readUntilReady(output)).get(60, TimeUnit.SECONDS);
			return new NamespacePeerProcess(process, Integer.parseInt(ready.substring("READY ".length()).trim()));
		}
		catch (Exception ex) {
			throw new IllegalStateException("the namespace peer did not start: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Surefire hands the forked JVM a manifest-only jar; its full test class path is in
	 * this property.
	 */
	private static String classPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

	private static String readUntilReady(BufferedReader output) {
		try {
			StringBuilder seen = new StringBuilder();
			String line;
			while ((line = output.readLine()) != null) {
				if (line.startsWith("READY ")) {
					return line;
				}
				seen.append(line).append('\n');
			}
			throw new IllegalStateException("exited before READY:\n" + seen);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return this.port;
	}

	@Override
	public void close() {
		try {
			this.process.getOutputStream().close(); // stdin EOF: the peer exits
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (IOException ex) {
			this.process.destroyForcibly();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

}
