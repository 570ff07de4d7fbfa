package io.connectionmanager.core.internal.state;

import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.state.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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

	/** Writes the table as Markdown for the docs, from the implementation itself. */
	@Test
	void writesTheTableAsMarkdown() throws IOException {
		StringBuilder markdown = new StringBuilder("| state \\ event |");
		COLUMNS.forEach((event) -> markdown.append(' ').append(event).append(" |"));
		markdown.append("\n|---|").append("---|".repeat(COLUMNS.size())).append('\n');
		for (ConnectionState state : ConnectionState.values()) {
			markdown.append("| ").append(state).append(" |");
			for (Trigger event : COLUMNS) {
				Transition transition = TransitionTable.standard().lookup(state, event);
				String cell = switch (transition.kind()) {
					case MOVE -> transition.target().name();
					case STAY -> "(stay)";
					case REJECT -> "";
				};
				markdown.append(' ').append(cell).append(" |");
			}
			markdown.append('\n');
		}
		Path out = Path.of("target", "transition-table.md");
		Files.createDirectories(out.getParent());
		Files.writeString(out, markdown);
		assertThat(Files.readString(out)).contains("| AUTHENTICATING |").contains("CONNECTED");
	}

}
