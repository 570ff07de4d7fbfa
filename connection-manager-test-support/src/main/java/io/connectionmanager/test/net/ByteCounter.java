package io.connectionmanager.test.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the bytes a server's sockets read and write, as they are on the wire (after TLS
 * and compression). Put first in a pipeline; one instance serves every connection of a
 * server.
 */
@ChannelHandler.Sharable
public final class ByteCounter extends ChannelDuplexHandler {

	private final LongAdder read = new LongAdder();

	private final LongAdder written = new LongAdder();

	/** Bytes read from clients since start (or the last {@link #reset()}). */
	public long bytesRead() {
		return read.sum();
	}

	/** Bytes written to clients since start (or the last {@link #reset()}). */
	public long bytesWritten() {
		return written.sum();
	}

	public void reset() {
		read.reset();
		written.reset();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		read.add(size(msg));
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		long size = size(msg);
		ctx.write(msg, promise.unvoid()).addListener(f -> {
			if (f.isSuccess()) {
				written.add(size);
			}
		});
	}

	private static long size(Object msg) {
		if (msg instanceof ByteBuf buf) {
			return buf.readableBytes();
		}
		if (msg instanceof ByteBufHolder holder) {
			return holder.content().readableBytes();
		}
		return 0;
	}

}
