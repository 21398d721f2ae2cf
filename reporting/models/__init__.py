from .exports import ExportJob

__all__ = ["ExportJob"]
