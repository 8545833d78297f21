"""exactmin.certify"""
