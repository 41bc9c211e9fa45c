#!/usr/bin/python3
"""A real RTSP server for the camera tests: GStreamer's gst-rtsp-server serving a folder of JPEGs
(DIR/%03d.jpg, looped) at FPS frames a second as H.264 at /h264 and as MJPEG at /mjpeg.
Usage: rtsp_server.py PORT DIR [FPS]. Prints "ready" once it listens, and each SETUP's transport
("transport: RTP/AVP/TCP;…" or "transport: RTP/AVP;unicast;…" for UDP); runs until killed."""

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

port, folder = sys.argv[1], sys.argv[2]
fps = int(sys.argv[3]) if len(sys.argv) > 3 else 10
Gst.init(None)
frames = (f"multifilesrc location={folder}/%03d.jpg loop=true caps=image/jpeg,framerate={fps}/1 "
          "! jpegdec ! videoconvert ! video/x-raw,format=I420")
encoders = {
    "/h264": "x264enc tune=zerolatency key-int-max=10 speed-preset=ultrafast ! rtph264pay name=pay0 pt=96",
    "/mjpeg": "jpegenc ! rtpjpegpay name=pay0 pt=26",
}
server = GstRtspServer.RTSPServer()
server.set_service(port)
for path, encoder in encoders.items():
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(f"( {frames} ! {encoder} )")
    factory.set_shared(True)
    server.get_mount_points().add_factory(path, factory)


def on_setup(_client, context):
    print("transport:", context.request.get_header(GstRtsp.RTSPHeaderField.TRANSPORT, 0)[1], flush=True)


server.connect("client-connected", lambda _server, client: client.connect("setup-request", on_setup))
if server.attach(None) == 0:
    sys.exit(f"rtsp_server.py: cannot listen on port {port}")
print("ready", flush=True)
GLib.MainLoop().run()
