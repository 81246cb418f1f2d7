"""QR and barcode reading, and the QR codes we generate.

Decoders of frames and images: `zxing_decoder.ZxingDecoder` (zxing-cpp, the default: fastest and the
only one reading Micro QR) and `pyzbar_decoder.PyzbarDecoder` (zbar). `serial_scanner.SerialCodeReader`
reads a hand-held QR scanner that sends each code as a line on a serial port; `serial_sim` plays one on
a pseudo terminal. `qr` makes our own codes: full QR with an ECI header, never Micro QR.
"""
