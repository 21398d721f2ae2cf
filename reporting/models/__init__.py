from .exports import ExportJob
from .tips import Evidence, Tip, TipHistory

__all__ = ["Evidence", "ExportJob", "Tip", "TipHistory"]
