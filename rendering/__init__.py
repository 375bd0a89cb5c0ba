"""What the app puts out, without Streamlit: the chart theme and builders (figures), and text made safe for the
files people open (safe). Below ui/ and exports/, which both use it; above riverchief/ only."""
