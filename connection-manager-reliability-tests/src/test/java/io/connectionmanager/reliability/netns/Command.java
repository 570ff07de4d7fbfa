package io.connectionmanager.reliability.netns;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short system command (ip, tc) with a timeout and returns its exit code and
 * output.
 */
record Command(int exitCode, String output) {

	boolean succeeded() {
		return this.exitCode == 0;
	}

	static Command run(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return new Command(-1, String.join(" ", command) + ": timed out");
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			return new Command(process.exitValue(), output);
		}
		catch (IOException ex) {
			return new Command(-1, String.join(" ", command) + ": " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Command(-1, "interrupted");
		}
	}

	/** Runs it and fails loudly if it does not succeed. */
	static String check(String... command) {
		Command result = run(command);
		if (!result.succeeded()) {
			throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output());
		}
		return result.output();
	}

	/** Whether an executable of this name is on the PATH. */
	static boolean onPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		return List.of(path.split(File.pathSeparator))
			.stream()
			.anyMatch((directory) -> Files.isExecutable(Path.of(directory, name)));
	}

}
