"""The steady kernel channels: a reply whose wake-up was lost is still delivered."""

import asyncio
import time
import uuid
from queue import Empty

import pytest
import zmq
import zmq.asyncio
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.session import Session

from pspo_lab.trainer.kernels import (
    POLL_SLICE_SECONDS,
    SlicedPollChannel,
    SteadyKernelClient,
    SteadyKernelManager,
    execute_notebook,
)


async def reply_after_lost_wakeup(channel_class: type, wait: float) -> dict:
    """Wait without a time limit for a reply whose file-descriptor edge someone consumed.

    This is what the stalled notebook runs showed: the reply sat in the client's queue
    (``zmq.EVENTS`` said POLLIN) while the asyncio poll waiting for it never woke.
    """
    context = zmq.asyncio.Context()
    address = f"inproc://steady-{uuid.uuid4().hex}"
    receiver = context.socket(zmq.PAIR)
    receiver.bind(address)
    sender = zmq.Context.shadow(context.underlying).socket(zmq.PAIR)
    sender.connect(address)
    session = Session(key=b"")
    try:
        waiting = asyncio.ensure_future(channel_class(receiver, session).get_msg())
        await asyncio.sleep(0.1)
        session.send(sender, "execute_reply", {"status": "ok"})
        time.sleep(0.1)
        zmq.Socket.shadow(receiver.underlying).get(zmq.EVENTS)  # consumes the edge
        return await asyncio.wait_for(waiting, wait)
    finally:
        sender.close(linger=0)
        receiver.close(linger=0)
        context.term()


def test_sliced_channel_delivers_a_reply_whose_wakeup_was_lost():
    # The plain channel below never delivers it; the generous bound only keeps a broken
    # build from hanging (one slice is POLL_SLICE_SECONDS).
    message = asyncio.run(reply_after_lost_wakeup(SlicedPollChannel,
                                                  wait=20 * POLL_SLICE_SECONDS))
    assert message["msg_type"] == "execute_reply"


def test_plain_asyncio_channel_misses_it():
    """The upstream behaviour the sliced channel works around (if this starts to pass
    upstream, the workaround can go)."""
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(reply_after_lost_wakeup(AsyncZMQSocketChannel, wait=3))


def test_sliced_channel_still_honours_a_time_limit():
    async def wait_on_silence() -> float:
        context = zmq.asyncio.Context()
        socket = context.socket(zmq.PAIR)
        socket.bind(f"inproc://silent-{uuid.uuid4().hex}")
        started = time.monotonic()
        try:
            with pytest.raises(Empty):
                await SlicedPollChannel(socket, Session(key=b"")).get_msg(timeout=1.2)
            return time.monotonic() - started
        finally:
            socket.close(linger=0)
            context.term()

    assert asyncio.run(wait_on_silence()) >= 1.2, "it waits out the whole time limit"


def test_manager_hands_out_steady_clients():
    client = SteadyKernelManager().client()
    assert isinstance(client, SteadyKernelClient)
    assert client.shell_channel_class is SlicedPollChannel
    assert client.iopub_channel_class is SlicedPollChannel


def test_execute_notebook_talks_through_sliced_channels(tmp_path, monkeypatch):
    import nbformat

    calls = []
    original = SlicedPollChannel.get_msg

    async def counting(self, timeout=None):
        calls.append(timeout)
        return await original(self, timeout)

    monkeypatch.setattr(SlicedPollChannel, "get_msg", counting)
    source = tmp_path / "tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")]),
                   source)
    executed = execute_notebook(source, tmp_path / "out.ipynb", execution_timeout=60)
    assert executed.cells[0].outputs[0]["text"] == "42\n"
    assert calls, "papermill used another kernel client"
