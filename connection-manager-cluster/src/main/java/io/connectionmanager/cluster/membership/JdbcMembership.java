package io.connectionmanager.cluster.membership;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Membership in a table, one row per replica with the time it stops counting as alive
 * (this replica's clock, like Spring Integration's JDBC locks):
 *
 * <pre>
 * CREATE TABLE CM_REPLICA (
 *     REPLICA_ID VARCHAR(200) NOT NULL PRIMARY KEY,
 *     EXPIRES_AT TIMESTAMP NOT NULL)
 * </pre>
 *
 * created on first use ({@code CREATE TABLE IF NOT EXISTS}) unless that is turned off.
 */
public class JdbcMembership implements Membership {

	/** The default table name. */
	public static final String DEFAULT_TABLE = "CM_REPLICA";

	private final JdbcTemplate jdbc;

	private final String table;

	private volatile boolean createTable;

	public JdbcMembership(JdbcTemplate jdbc, String table, boolean createTable) {
		this.jdbc = jdbc;
		this.table = table;
		this.createTable = createTable;
	}

	@Override
	public void heartbeat(String replicaId, Duration ttl) {
		if (this.createTable) {
			this.jdbc.execute("CREATE TABLE IF NOT EXISTS " + this.table
					+ " (REPLICA_ID VARCHAR(200) NOT NULL PRIMARY KEY, EXPIRES_AT TIMESTAMP NOT NULL)");
			this.createTable = false;
		}
		Timestamp expires = Timestamp.from(Instant.now().plus(ttl));
		String update = "UPDATE " + this.table + " SET EXPIRES_AT = ? WHERE REPLICA_ID = ?";
		if (this.jdbc.update(update, expires, replicaId) > 0) {
			return;
		}
		try {
			this.jdbc.update("INSERT INTO " + this.table + " (REPLICA_ID, EXPIRES_AT) VALUES (?, ?)", replicaId,
					expires);
		}
		catch (DuplicateKeyException ex) {
			this.jdbc.update(update, expires, replicaId);
		}
	}

	@Override
	public int liveReplicas() {
		Integer live = this.jdbc.queryForObject("SELECT COUNT(*) FROM " + this.table + " WHERE EXPIRES_AT > ?",
				Integer.class, Timestamp.from(Instant.now()));
		return (live != null) ? live : 0;
	}

	@Override
	public void leave(String replicaId) {
		this.jdbc.update("DELETE FROM " + this.table + " WHERE REPLICA_ID = ?", replicaId);
	}

}
