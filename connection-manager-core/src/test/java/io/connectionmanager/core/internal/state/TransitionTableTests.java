package io.connectionmanager.core.internal.state;

import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.state.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks every (state, event) pair. The expected table is written out here independently
 * of the implementation: a target state moves there, {@code =} stays (accepted, no
 * change), {@code -} rejects.
 */
class TransitionTableTests {

	private static final List<Trigger> COLUMNS = List.of(Trigger.values());

	// @formatter:off
	private static final String EXPECTED = """
		state          | CONNECT_REQ | RECONNECT_REQ | DISCONNECT_REQ | T_OPENED | T_FAILED | T_CLOSED | AUTH_OK | AUTH_FAILED | FATAL_FAILURE | HB_MISSED | BACKOFF_ELAPSED | CB_OPENED | CB_HALF_OPEN | RETRIES_EXHAUSTED
		DISCONNECTED   | C           | C             | =              | -        | -        | -        | -       | -           | -             | -         | -               | -         | -            | -
		CONNECTING     | =           | C             | D              | A        | R        | -        | -       | -           | F             | -         | -               | -         | -            | -
		AUTHENTICATING | =           | C             | D              | -        | R        | R        | OK      | R           | F             | -         | -               | -         | -            | -
		CONNECTED      | =           | C             | D              | -        | R        | R        | -       | -           | F             | R         | -               | -         | -            | -
		RECONNECTING   | C           | C             | D              | -        | -        | -        | -       | -           | -             | -         | C               | =         | C            | F
		FATAL          | C           | C             | D              | -        | -        | -        | -       | -           | -             | -         | -               | -         | -            | -
		""";
	// @formatter:on

	private static final Map<String, ConnectionState> CODES = Map.of("D", ConnectionState.DISCONNECTED, "C",
			ConnectionState.CONNECTING, "A", ConnectionState.AUTHENTICATING, "OK", ConnectionState.CONNECTED, "R",
			ConnectionState.RECONNECTING, "F", ConnectionState.FATAL);

	/** The README abbreviates trigger names in its column headers. */
	private static final Map<String, Trigger> README_COLUMNS = Map.ofEntries(
			Map.entry("CONNECT_REQ", Trigger.CONNECT_REQUESTED),
			Map.entry("RECONNECT_REQ", Trigger.RECONNECT_REQUESTED),
			Map.entry("DISCONNECT_REQ", Trigger.DISCONNECT_REQUESTED), Map.entry("T_OPENED", Trigger.TRANSPORT_OPENED),
			Map.entry("T_FAILED", Trigger.TRANSPORT_FAILED), Map.entry("T_CLOSED", Trigger.TRANSPORT_CLOSED),
			Map.entry("AUTH_OK", Trigger.AUTH_SUCCEEDED), Map.entry("AUTH_FAILED", Trigger.AUTH_FAILED),
			Map.entry("FATAL_FAILURE", Trigger.FATAL_FAILURE), Map.entry("HB_MISSED", Trigger.HEARTBEAT_MISSED),
			Map.entry("BACKOFF_ELAPSED", Trigger.BACKOFF_ELAPSED), Map.entry("CB_OPENED", Trigger.CIRCUIT_OPENED),
			Map.entry("CB_HALF_OPEN", Trigger.CIRCUIT_HALF_OPEN),
			Map.entry("RETRIES_EXHAUSTED", Trigger.RETRIES_EXHAUSTED));

	@Test
	void everyStateEventPairMatchesTheExpectedTable() {
		List<String> rows = EXPECTED.lines().skip(1).toList();
		assertThat(rows).hasSize(ConnectionState.values().length);
		int checked = 0;
		for (String row : rows) {
			List<String> cells = Arrays.stream(row.split("\\|")).map(String::trim).toList();
			ConnectionState state = ConnectionState.valueOf(cells.get(0));
			assertThat(cells).hasSize(COLUMNS.size() + 1);
			for (int column = 0; column < COLUMNS.size(); column++) {
				Trigger event = COLUMNS.get(column);
				String expected = cells.get(column + 1);
				Transition actual = TransitionTable.standard().lookup(state, event);
				String pair = state + " x " + event;
				switch (expected) {
					case "-" -> assertThat(actual.kind()).as(pair).isEqualTo(Transition.Kind.REJECT);
					case "=" -> {
						assertThat(actual.kind()).as(pair).isEqualTo(Transition.Kind.STAY);
						assertThat(actual.target()).as(pair).isEqualTo(state);
					}
					default -> {
						assertThat(actual.kind()).as(pair).isEqualTo(Transition.Kind.MOVE);
						assertThat(actual.target()).as(pair).isEqualTo(CODES.get(expected));
					}
				}
				checked++;
			}
		}
		assertThat(checked).isEqualTo(ConnectionState.values().length * Trigger.values().length);
	}

	@Test
	void fatalIsLeftOnlyByExplicitRequests() {
		for (Trigger event : Trigger.values()) {
			Transition transition = TransitionTable.standard().lookup(ConnectionState.FATAL, event);
			boolean explicit = event == Trigger.CONNECT_REQUESTED || event == Trigger.RECONNECT_REQUESTED
					|| event == Trigger.DISCONNECT_REQUESTED;
			assertThat(transition.isMove()).as(event.name()).isEqualTo(explicit);
		}
	}

	@Test
	void onlyAuthenticationSuccessLeadsToConnected() {
		for (ConnectionState state : ConnectionState.values()) {
			for (Trigger event : Trigger.values()) {
				Transition transition = TransitionTable.standard().lookup(state, event);
				if (transition.isMove() && transition.target() == ConnectionState.CONNECTED) {
					assertThat(state).isEqualTo(ConnectionState.AUTHENTICATING);
					assertThat(event).isEqualTo(Trigger.AUTH_SUCCEEDED);
				}
			}
		}
	}

	/**
	 * The README's transition table is the documented contract: every one of its cells
	 * must be what the implementation does, and it must list every state and trigger.
	 */
	@Test
	void theReadmeTableIsTheImplementedTable() throws IOException {
		List<String> table = readmeTable();
		List<String> header = cells(table.get(0));
		assertThat(header.get(0)).isEqualTo("state \\ event");
		List<Trigger> columns = header.subList(1, header.size()).stream().map(README_COLUMNS::get).toList();
		assertThat(columns).as("README columns " + header)
			.doesNotContainNull()
			.containsExactlyInAnyOrder(Trigger.values());
		List<String> rows = table.subList(2, table.size());
		assertThat(rows).hasSize(ConnectionState.values().length);
		int checked = 0;
		for (String row : rows) {
			List<String> cells = cells(row);
			assertThat(cells).as(row).hasSize(columns.size() + 1);
			ConnectionState state = ConnectionState.valueOf(cells.get(0));
			for (int column = 0; column < columns.size(); column++) {
				Transition transition = TransitionTable.standard().lookup(state, columns.get(column));
				String documented = switch (transition.kind()) {
					case MOVE -> transition.target().name();
					case STAY -> "(stay)";
					case REJECT -> "";
				};
				assertThat(cells.get(column + 1)).as(state + " x " + columns.get(column)).isEqualTo(documented);
				checked++;
			}
		}
		assertThat(checked).isEqualTo(ConnectionState.values().length * Trigger.values().length);
	}

	/** The Markdown table that starts with {@code | state \ event |}, line by line. */
	private static List<String> readmeTable() throws IOException {
		List<String> lines = Files.readAllLines(readme());
		int first = IntStream.range(0, lines.size())
			.filter((index) -> lines.get(index).startsWith("| state \\ event |"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no transition table in the README"));
		List<String> table = lines.subList(first, lines.size())
			.stream()
			.takeWhile((line) -> line.startsWith("|"))
			.toList();
		assertThat(table.get(1)).startsWith("|---|");
		return table;
	}

	/** The project's README: the module's parent directory under Maven, found upwards. */
	private static Path readme() {
		for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
			Path candidate = directory.resolve("README.md");
			if (Files.isRegularFile(candidate) && Files.isDirectory(directory.resolve("connection-manager-core"))) {
				return candidate;
			}
		}
		throw new AssertionError("README.md of the project not found above " + Path.of("").toAbsolutePath());
	}

	private static List<String> cells(String row) {
		String inner = row.substring(1, row.lastIndexOf('|'));
		return Arrays.stream(inner.split("\\|", -1)).map(String::trim).toList();
	}

}
