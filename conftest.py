# Doctests of optional integrations run only where their extra is installed.
import importlib.util

collect_ignore = []
if importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("skl2onnx") is None:
    collect_ignore.append("skdenoise/onnx.py")
