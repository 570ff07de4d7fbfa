package io.connectionmanager.cluster.resume;

import java.time.Duration;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Resume positions in a table, one row per connection:
 *
 * <pre>
 * CREATE TABLE CM_RESUME_POSITION (
 *     CONNECTION_NAME VARCHAR(200) NOT NULL PRIMARY KEY,
 *     POSITION        VARCHAR(2000) NOT NULL,
 *     UPDATED_AT      TIMESTAMP NOT NULL)
 * </pre>
 *
 * The table is created on first use ({@code CREATE TABLE IF NOT EXISTS}, understood by
 * PostgreSQL, MySQL, MariaDB, H2 and SQLite) unless that is turned off; create it
 * yourself for other databases. Each write is one auto-committed statement: an
 * {@code UPDATE}, or an {@code INSERT} for the first position of a connection.
 */
public class JdbcResumeStore extends SharedResumeStore {

	/** The default table name. */
	public static final String DEFAULT_TABLE = "CM_RESUME_POSITION";

	private final JdbcTemplate jdbc;

	private final String update;

	private final String insert;

	private final String select;

	/**
	 * @param jdbc the template to use
	 * @param table the table name
	 * @param createTable whether to create the table when it does not exist
	 * @param flushInterval zero writes through; otherwise the least time between writes
	 */
	public JdbcResumeStore(JdbcTemplate jdbc, String table, boolean createTable, Duration flushInterval) {
		super("jdbc", flushInterval);
		this.jdbc = jdbc;
		this.update = "UPDATE " + table + " SET POSITION = ?, UPDATED_AT = CURRENT_TIMESTAMP WHERE CONNECTION_NAME = ?";
		this.insert = "INSERT INTO " + table
				+ " (CONNECTION_NAME, POSITION, UPDATED_AT) VALUES (?, ?, CURRENT_TIMESTAMP)";
		this.select = "SELECT POSITION FROM " + table + " WHERE CONNECTION_NAME = ?";
		if (createTable) {
			jdbc.execute(schema(table));
		}
	}

	/** The table's definition. */
	public static String schema(String table) {
		return "CREATE TABLE IF NOT EXISTS " + table + " (CONNECTION_NAME VARCHAR(200) NOT NULL PRIMARY KEY,"
				+ " POSITION VARCHAR(2000) NOT NULL, UPDATED_AT TIMESTAMP NOT NULL)";
	}

	@Override
	protected String read(String connection) {
		return this.jdbc.query(this.select, (rows) -> rows.next() ? rows.getString(1) : null, connection);
	}

	@Override
	protected void write(String connection, String position) {
		if (this.jdbc.update(this.update, position, connection) > 0) {
			return;
		}
		try {
			this.jdbc.update(this.insert, connection, position);
		}
		catch (DuplicateKeyException ex) {
			// Another writer inserted it first.
			this.jdbc.update(this.update, position, connection);
		}
	}

}
