package io.connectionmanager.core.failure;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which failures are fatal. Everything not listed is retryable: a long-running client
 * should keep trying unless retrying provably cannot help (wrong credentials, a
 * certificate that will not verify, a protocol the peer refuses).
 *
 * @param fatalKinds failure kinds that are always fatal
 * @param fatalHttpStatuses HTTP statuses on the upgrade that are fatal (default 401, 403)
 * @param fatalCloseCodes WebSocket close codes from the peer that are fatal (default
 * 1002, 1003, 1007, 1008, 1010)
 */
public record FailurePolicy(Set<FailureKind> fatalKinds, Set<Integer> fatalHttpStatuses, Set<Integer> fatalCloseCodes) {

	public FailurePolicy {
		fatalKinds = (fatalKinds.isEmpty()) ? Set.of() : Set.copyOf(EnumSet.copyOf(fatalKinds));
		fatalHttpStatuses = Set.copyOf(fatalHttpStatuses);
		fatalCloseCodes = Set.copyOf(fatalCloseCodes);
	}

	public static FailurePolicy defaults() {
		return new FailurePolicy(EnumSet.of(FailureKind.AUTH_REJECTED, FailureKind.CERTIFICATE), Set.of(401, 403),
				Set.of(1002, 1003, 1007, 1008, 1010));
	}

	public boolean isFatal(FailureKind kind, Integer httpStatus, Integer closeCode) {
		if (this.fatalKinds.contains(kind)) {
			return true;
		}
		if (kind == FailureKind.UPGRADE_REJECTED && httpStatus != null) {
			return this.fatalHttpStatuses.contains(httpStatus);
		}
		if (kind == FailureKind.CLOSED_BY_PEER && closeCode != null) {
			return this.fatalCloseCodes.contains(closeCode);
		}
		return false;
	}

}
