"""exactmin.nets"""
