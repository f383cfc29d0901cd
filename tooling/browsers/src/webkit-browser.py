"""A minimal WebKitGTK browser: the automation browser WebKitWebDriver spawns, or, given
--url=<url>, a plain browser open on that page that nothing drives (browser-lab's crash trials).

MiniBrowser --automation keeps no storage (getDirectory fails with UnknownError) and leaves the
storage features off. This one roots its WebsiteDataManager in the profile folder given as
--profile=<dir>, so OPFS and IndexedDB live on disk and outlive the process, and turns on the
features Stowage needs. Every web view it makes has a window of its own.
"""
import sys

import gi

gi.require_version('Gtk', '3.0')
gi.require_version('WebKit2', '4.1')
from gi.repository import Gtk, WebKit2  # noqa: E402

FEATURES = {'StorageAPI', 'StorageAPIEstimate', 'FileSystem', 'FileSystemWritableStream', 'AccessHandle'}


def option(name):
    prefix = f'--{name}='
    return next((arg[len(prefix):] for arg in sys.argv[1:] if arg.startswith(prefix)), None)


profile = option('profile')
if not profile:
    sys.exit('webkit-browser.py: --profile=<dir> is required')

manager = WebKit2.WebsiteDataManager(base_data_directory=f'{profile}/data', base_cache_directory=f'{profile}/cache')
context = WebKit2.WebContext(website_data_manager=manager)
context.set_automation_allowed(True)

settings = WebKit2.Settings()
features = WebKit2.Settings.get_all_features()
enabled = set()
for index in range(features.get_length()):
    feature = features.get(index)
    if feature.get_identifier() in FEATURES:
        settings.set_feature_enabled(feature, True)
        enabled.add(feature.get_identifier())
if enabled != FEATURES:
    sys.exit(f'webkit-browser.py: this WebKitGTK lacks the features {sorted(FEATURES - enabled)}')

windows = []
url = option('url')


def in_window(view):
    """Shows `view` in a window of its own; closing the last one ends a plain (--url) browser."""
    window = Gtk.Window()
    window.set_default_size(1024, 768)
    window.add(view)
    window.show_all()
    windows.append(window)

    def closed(_view):
        windows.remove(window)
        window.destroy()
        if url and not windows:
            Gtk.main_quit()

    view.connect('close', closed)
    return view


def create_web_view(session):
    return in_window(WebKit2.WebView(web_context=context, settings=settings, is_controlled_by_automation=True))


def automation_started(_context, session):
    info = WebKit2.ApplicationInfo()
    info.set_name('stowage-webkit')
    info.set_version(WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version())
    session.set_application_info(info)
    session.connect('create-web-view', create_web_view)


def plain_web_view(related=None):
    """A view no automation drives; pages may open (window.open) and close (window.close) views."""
    view = WebKit2.WebView(related_view=related, settings=settings) if related else WebKit2.WebView(web_context=context, settings=settings)
    view.connect('create', lambda parent, _action: plain_web_view(parent))
    return in_window(view)


if url:
    settings.set_javascript_can_open_windows_automatically(True)
    plain_web_view().load_uri(url)
else:
    context.connect('automation-started', automation_started)
Gtk.main()
