package io.connectionmanager.test.net;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Several independent reasons may want a channel to stop reading (a frozen peer, a proxy
 * waiting for its upstream connection, back-pressure). Each reason is one bit; the
 * channel reads only while no bit is set, so releasing one reason never undoes another.
 * Internal to this module.
 */
public final class ReadHolds {

	/** The whole peer is frozen. */
	public static final int FROZEN = 1;

	/** A proxy connection whose other leg is not connected yet. */
	public static final int CONNECTING = 2;

	/** The channel this one forwards to cannot take more bytes. */
	public static final int PEER_UNWRITABLE = 4;

	/** Too many bytes are waiting in a delay/throttle queue. */
	public static final int QUEUE_FULL = 8;

	private static final AttributeKey<Integer> HOLDS = AttributeKey.valueOf(ReadHolds.class, "holds");

	private ReadHolds() {
	}

	public static void hold(Channel channel, int reason) {
		update(channel, reason, true);
	}

	public static void release(Channel channel, int reason) {
		update(channel, reason, false);
	}

	/**
	 * Applied on the channel's own event loop, so the bits and autoRead never disagree.
	 */
	private static void update(Channel channel, int reason, boolean set) {
		if (!channel.eventLoop().inEventLoop()) {
			channel.eventLoop().execute(() -> update(channel, reason, set));
			return;
		}
		Integer current = channel.attr(HOLDS).get();
		int bits = current == null ? 0 : current;
		bits = set ? bits | reason : bits & ~reason;
		channel.attr(HOLDS).set(bits);
		channel.config().setAutoRead(bits == 0);
	}

}
