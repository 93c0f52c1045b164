"""Outbreak detection over count series: EARS C1–C3, Farrington, farringtonFlexible, CUSUM, GLR
CUSUM (glrpois, glrnb), RKI, Bayes, outbreakP, the CIDARS moving percentile method and fixed
thresholds. Pure numpy/scipy/statsmodels; no Django.
"""

# Imported eagerly: most functions share their module's name (cusum.cusum, mpm.mpm, ...), and binding
# them here, after the submodules load, keeps `from yizhan.detect import cusum` the function.
from yizhan.detect.bayes import bayes, bayes1, bayes2, bayes3
from yizhan.detect.cusum import cusum
from yizhan.detect.ears import ears_c1, ears_c2, ears_c3
from yizhan.detect.errors import DetectionInputError
from yizhan.detect.farrington import farrington
from yizhan.detect.farrington_flexible import farrington_flexible
from yizhan.detect.fixed import fixed_threshold
from yizhan.detect.glr import glrnb, glrpois
from yizhan.detect.mpm import mpm
from yizhan.detect.outbreakp import outbreakp
from yizhan.detect.result import DetectionResult
from yizhan.detect.rki import rki, rki1, rki2, rki3

__all__ = [
    "DetectionInputError",
    "DetectionResult",
    "bayes",
    "bayes1",
    "bayes2",
    "bayes3",
    "cusum",
    "ears_c1",
    "ears_c2",
    "ears_c3",
    "farrington",
    "farrington_flexible",
    "fixed_threshold",
    "glrnb",
    "glrpois",
    "mpm",
    "outbreakp",
    "rki",
    "rki1",
    "rki2",
    "rki3",
]
