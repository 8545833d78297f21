"""exactmin.report"""
