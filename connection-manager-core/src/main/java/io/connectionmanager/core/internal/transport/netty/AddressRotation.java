package io.connectionmanager.core.internal.transport.netty;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Which of a name's addresses one connection tries next: the one after the address of its
 * previous attempt, so that successive attempts go through the addresses in turn and a
 * dead one is not tried again and again. Netty's {@code RoundRobinInetAddressResolver}
 * picks at random instead, which may try the same address several times in a row. A
 * changed answer is used as it is: an address that is no longer listed is forgotten.
 */
final class AddressRotation {

	private InetSocketAddress previous;

	synchronized InetSocketAddress next(List<InetSocketAddress> addresses) {
		int index = (this.previous != null) ? addresses.indexOf(this.previous) + 1 : 0;
		this.previous = addresses.get(index % addresses.size());
		return this.previous;
	}

}
