package io.connectionmanager.core.resume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.connectionmanager.core.internal.resume.FileResumeStore;
import io.connectionmanager.core.internal.resume.ResumeFileNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any connection name gets a file of its own, inside the store's directory; plain names
 * keep the file name earlier versions wrote, so upgrades still resume.
 */
class ResumeFileNamesTests {

	private static final List<String> AWKWARD_NAMES = List.of("a/b", "a_b", "a%2Fb", "back\\slash", "c:drive", "star*",
			"what?", "\"quoted\"", "<angle>", "pi|pe", "nul\u0000byte", "..", ".", "../../etc/passwd", "/absolute",
			"ünïcødé 名前", "tab\tand space ", "x".repeat(1000), "x".repeat(1000) + "y", "/".repeat(500), "A", "a");

	@TempDir
	Path directory;

	@Test
	void namesWithIllegalCharactersRoundTripThroughANewStore() throws Exception {
		FileResumeStore store = new FileResumeStore(this.directory, Duration.ZERO);
		for (int i = 0; i < AWKWARD_NAMES.size(); i++) {
			store.save(AWKWARD_NAMES.get(i), StreamPosition.sequence(i));
		}
		store.flushAsync().get(10, TimeUnit.SECONDS);

		FileResumeStore nextRun = new FileResumeStore(this.directory, Duration.ZERO);
		for (int i = 0; i < AWKWARD_NAMES.size(); i++) {
			assertThat(nextRun.load(AWKWARD_NAMES.get(i))).as(AWKWARD_NAMES.get(i))
				.isEqualTo(StreamPosition.sequence(i));
		}
		// One regular file per name, all directly in the directory: no name escaped it or
		// shared a file with another.
		try (Stream<Path> files = Files.walk(this.directory)) {
			List<Path> all = files.filter((file) -> !file.equals(this.directory)).toList();
			assertThat(all).hasSize(AWKWARD_NAMES.size()).allMatch(Files::isRegularFile);
			assertThat(all).allMatch((file) -> file.getParent().equals(this.directory));
			assertThat(all).allMatch((file) -> file.getFileName().toString().length() <= 220);
		}
	}

	@Test
	void plainNamesKeepTheFileNameOfEarlierVersions() throws IOException {
		// Written by an earlier version, which used plain names as they are.
		Files.writeString(this.directory.resolve("orders-eu.1_B.position"), "seq:99\n");
		assertThat(new FileResumeStore(this.directory, Duration.ZERO).load("orders-eu.1_B"))
			.isEqualTo(StreamPosition.sequence(99));
		for (String plain : List.of("stream", "orders-eu.1_B", "..", "a".repeat(200))) {
			assertThat(ResumeFileNames.encode(plain)).isEqualTo(plain);
		}
	}

	@Test
	void encodedNamesAreReversibleAndDistinct() {
		Set<String> bases = new HashSet<>();
		for (String name : AWKWARD_NAMES) {
			String base = ResumeFileNames.encode(name);
			assertThat(base).matches("[A-Za-z0-9._%~-]+");
			assertThat(bases.add(base)).as(name).isTrue();
			if (name.length() < 60) {
				assertThat(ResumeFileNames.decode(base)).isEqualTo(name);
			}
		}
		assertThat(ResumeFileNames.encode("a/b")).isEqualTo("a%2Fb");
		assertThat(ResumeFileNames.encode("x".repeat(1000))).hasSize(200).contains("~");
		assertThat(ResumeFileNames.decode(ResumeFileNames.encode("x".repeat(1000)))).isNull();
	}

}
