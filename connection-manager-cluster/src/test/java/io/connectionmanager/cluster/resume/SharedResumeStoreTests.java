package io.connectionmanager.cluster.resume;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.connectionmanager.core.resume.StreamPosition;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The flush policy of the shared stores, on the jdbc store over an H2 database: what one
 * replica wrote, another reads.
 */
class SharedResumeStoreTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private final JdbcTemplate jdbc = jdbc();

	private SharedResumeStore writer;

	private SharedResumeStore reader;

	private static JdbcTemplate jdbc() {
		JdbcDataSource database = new JdbcDataSource();
		database.setURL("jdbc:h2:mem:resume;DB_CLOSE_DELAY=-1");
		return new JdbcTemplate(database);
	}

	@BeforeEach
	void clean() {
		this.jdbc.execute("DROP TABLE IF EXISTS CM_RESUME_POSITION");
	}

	@AfterEach
	void close() {
		if (this.writer != null) {
			this.writer.close();
		}
		if (this.reader != null) {
			this.reader.close();
		}
	}

	@Test
	void writeThroughIsReadableByAnotherReplicaAsSoonAsSaveReturns() {
		this.writer = new JdbcResumeStore(this.jdbc, "CM_RESUME_POSITION", true, Duration.ZERO);
		this.reader = new JdbcResumeStore(this.jdbc, "CM_RESUME_POSITION", true, Duration.ZERO);
		assertThat(this.reader.load("feed")).isNull();
		for (long sequence = 1; sequence <= 50; sequence++) {
			this.writer.save("feed", StreamPosition.sequence(sequence));
			// No waiting: the position is written before save returns, off an event loop.
			assertThat(this.reader.load("feed")).isEqualTo(StreamPosition.sequence(sequence));
		}
		this.writer.save("other", StreamPosition.token("abc"));
		assertThat(this.reader.load("other")).isEqualTo(StreamPosition.token("abc"));
		assertThat(this.reader.load("feed")).isEqualTo(StreamPosition.sequence(50));
	}

	@Test
	void anIntervalCoalescesPositionsIntoFewWritesOfTheNewest() {
		AtomicInteger writes = new AtomicInteger();
		this.writer = new JdbcResumeStore(this.jdbc, "CM_RESUME_POSITION", true, Duration.ofMillis(200)) {
			@Override
			protected void write(String connection, String position) {
				writes.incrementAndGet();
				super.write(connection, position);
			}
		};
		this.reader = new JdbcResumeStore(this.jdbc, "CM_RESUME_POSITION", false, Duration.ZERO);
		for (long sequence = 1; sequence <= 1000; sequence++) {
			this.writer.save("feed", StreamPosition.sequence(sequence));
		}
		await().atMost(BOUND).until(() -> StreamPosition.sequence(1000).equals(this.reader.load("feed")));
		assertThat(writes.get()).isLessThan(100);
		this.writer.save("feed", StreamPosition.sequence(1001));
		this.writer.flushAsync().join();
		assertThat(this.reader.load("feed")).isEqualTo(StreamPosition.sequence(1001));
	}

	@Test
	void aFailingStoreKeepsThePositionAndWritesItOnceItAnswers() {
		this.writer = new JdbcResumeStore(this.jdbc, "CM_RESUME_POSITION", true, Duration.ZERO);
		this.jdbc.execute("DROP TABLE CM_RESUME_POSITION");
		this.writer.save("feed", StreamPosition.sequence(7)); // fails, does not throw
		this.reader = new JdbcResumeStore(this.jdbc, "CM_RESUME_POSITION", true, Duration.ZERO);
		assertThat(this.reader.load("feed")).isNull();
		await().atMost(BOUND).until(() -> StreamPosition.sequence(7).equals(this.reader.load("feed")));
	}

	@Test
	void anUnreadableStoreStartsFresh() {
		this.reader = new JdbcResumeStore(this.jdbc, "CM_RESUME_POSITION", false, Duration.ZERO);
		assertThat(this.reader.load("feed")).isNull();
		this.jdbc.execute(JdbcResumeStore.schema("CM_RESUME_POSITION"));
		this.jdbc.update("INSERT INTO CM_RESUME_POSITION VALUES ('feed', 'garbage', CURRENT_TIMESTAMP)");
		assertThat(this.reader.load("feed")).isNull();
	}

}
