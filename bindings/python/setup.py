"""The native module of the wheel, built by the project's CMake.

TASKCORE_BUILD_DIR reuses an existing build tree (the module is built there
incrementally); otherwise a library-and-module-only build is made in the
temporary build directory.
"""

import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SOURCE_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        build_dir = os.environ.get("TASKCORE_BUILD_DIR")
        if not build_dir:
            build_dir = os.path.abspath(os.path.join(self.build_temp, "cmake"))
            subprocess.check_call([
                "cmake", "-S", SOURCE_ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                f"-DPython_EXECUTABLE={sys.executable}", "-DTASKCORE_BUILD_PYTHON=ON",
                "-DTASKCORE_BUILD_SERVER=OFF", "-DTASKCORE_BUILD_TESTS=OFF",
                "-DTASKCORE_BUILD_EXAMPLES=OFF", "-DTASKCORE_BUILD_BENCH=OFF",
            ])
        subprocess.check_call(["cmake", "--build", build_dir, "--target", "taskcore_python",
                               "-j", str(os.cpu_count() or 1)])
        built = glob.glob(os.path.join(build_dir, "python", "taskcore", "_core*.so"))
        if len(built) != 1:
            raise RuntimeError(f"expected one native module in {build_dir}, found {built}")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built[0], target)
        if shutil.which("strip"):  # a RelWithDebInfo tree's module is mostly debug info
            subprocess.check_call(["strip", "--strip-debug", target])


setup(packages=["taskcore"], package_data={"taskcore": ["py.typed", "*.pyi"]},
      ext_modules=[Extension("taskcore._core", sources=[])], cmdclass={"build_ext": CMakeBuild})
