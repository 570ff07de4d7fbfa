package io.connectionmanager.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Figures a test measured (beyond what it asserts), appended to
 * {@code target/measurements.txt} so that closing notes and docs quote numbers that were
 * actually seen.
 */
public final class Measurements {

	private static final Path FILE = Path.of("target", "measurements.txt");

	private Measurements() {
	}

	public static synchronized void record(String test, Map<String, ?> figures) {
		String line = Instant.now() + " " + test + " "
				+ figures.entrySet()
					.stream()
					.map((entry) -> entry.getKey() + "=" + entry.getValue())
					.sorted()
					.collect(Collectors.joining(" "))
				+ System.lineSeparator();
		try {
			Files.createDirectories(FILE.getParent());
			Files.writeString(FILE, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
