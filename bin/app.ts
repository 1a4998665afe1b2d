import { App } from 'aws-cdk-lib';
import { configurePlatformApp } from '../lib/platform-app.js';

/** The CDK app behind `cdk synth` and `cdk deploy`. */
configurePlatformApp(new App());
