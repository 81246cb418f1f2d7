"""Document camera (高拍仪): capture, page detection, deskew, quality advice, auto-capture, JPEG/PDF output.

Backends: `opencv_camera.OpenCVCamera` (cv2.VideoCapture on a device, a file or a URL) and
`simulated.SimulatedCamera` (image/video files or generated scenes). `factory.open_camera` picks one
from `CameraSettings`. The image processing modules work on plain numpy arrays and know nothing of
where a frame came from.
"""
